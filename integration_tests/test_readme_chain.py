# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The documented examples work in the order given, from `make demo` on: make demo (into a
scratch directory), the README's own host.yml line, the server, then every shell block of the
README and of docs/*.md that calls the standalone host's API (port 9486 read as the server's,
`TOKEN` as the README's token), each curl answered 2xx; and the README's "by hand" block in a
directory of its own. An example that stops chaining (a curl importing users make demo already
made) fails here."""

import glob
import os
import re
import socket
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
API = '127.0.0.1:9486/1.1/users'
# every curl must be answered 2xx; its answer is shown otherwise
CHECKED_CURL = '''
curl() {
  code=$(command curl -o "$ANSWER" -w '%{http_code}' "$@")
  case $code in 2*) ;; *) echo "curl $*: $code $(cat "$ANSWER")" >&2; return 1;; esac
}
'''


def shell_blocks(path):
    with open(path, encoding='utf-8') as stream:
        text = stream.read()
    return [
        block.replace('\\\n', ' ')
        for block in re.findall(r'```sh\n(.*?)```', text, re.S)
    ]


def documents():
    docs = sorted(glob.glob(os.path.join(ROOT, 'docs', '*.md')))
    return [os.path.join(ROOT, 'README.md')] + docs


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def scratch(tmp_path, name):
    """A directory laid as the clone's root: the examples (and .venv) where blocks expect them."""
    path = tmp_path / name
    path.mkdir()
    for linked in ('.venv', 'examples'):
        os.symlink(os.path.join(ROOT, linked), path / linked)
    return path


def test_the_documented_api_examples_chain_from_make_demo(tmp_path):
    demo = tmp_path / 'demo'
    made = subprocess.run(
        # the venv as it is (-o: not remade in the middle of a test run)
        [
            'make',
            '--no-print-directory',
            '-o',
            '.venv/bin/.installed',
            'demo',
            f'DEMO={demo}',
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert made.returncode == 0, made.stdout + made.stderr
    readme = shell_blocks(os.path.join(ROOT, 'README.md'))
    [printf] = [
        line.strip()
        for block in readme
        for line in block.splitlines()
        if line.strip().startswith("printf 'db_uri")
    ]
    token = re.search(r'tokens: \{([\w-]+):', printf).group(1)
    subprocess.run(['bash', '-c', printf], cwd=demo, check=True)
    port = free_port()
    with open(demo / 'host.yml', 'a') as stream:
        stream.write(f'rest_api: {{listen: 127.0.0.1, port: {port}}}\n')
    server = subprocess.Popen(
        [
            sys.executable,
            '-m',
            'wazo_confd_users_csv.host.cli',
            '-c',
            'host.yml',
            'serve',
        ],
        cwd=demo,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    work = scratch(tmp_path, 'work')
    ran = []
    try:
        started = server.stdout.readline()
        assert 'serving on' in started, started
        for path in documents():
            for block in shell_blocks(path):
                if API not in block or ' serve' in block:
                    continue
                script = block.replace('127.0.0.1:9486', f'127.0.0.1:{port}').replace(
                    'X-Auth-Token: TOKEN', f'X-Auth-Token: {token}'
                )
                done = subprocess.run(
                    ['bash', '-ec', CHECKED_CURL + script],
                    cwd=work,
                    env=dict(os.environ, ANSWER=str(tmp_path / 'answer')),
                    capture_output=True,
                    text=True,
                    timeout=120,
                )
                assert done.returncode == 0, (os.path.relpath(path, ROOT), done.stderr)
                ran.append(os.path.relpath(path, ROOT))
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert 'README.md' in ran and len(ran) >= 3, f'examples found only in {ran}'


def test_the_by_hand_block_runs_in_a_directory_of_its_own(tmp_path):
    [block] = [
        block
        for block in shell_blocks(os.path.join(ROOT, 'README.md'))
        if 'wazo-confd-users-csv db upgrade' in block
    ]
    work = scratch(tmp_path, 'work')
    path = os.path.join(ROOT, '.venv', 'bin') + os.pathsep + os.environ['PATH']

    done = subprocess.run(
        ['bash', '-ec', block],
        cwd=work,
        env=dict(os.environ, PATH=path),
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert 'created 4 users' in done.stdout
    assert (work / 'users_csv.db').exists()
