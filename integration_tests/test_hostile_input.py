"""No input produces a 500: malformed files get a clear 4xx in JSON, and nothing is written."""
import random

import pytest

from .conftest import Server, make_config
from .helpers import make_csv, user


def garbage(seed, size=4096):
    generator = random.Random(seed)
    return bytes(generator.randrange(256) for _ in range(size))


MALFORMED = {
    'binary garbage': garbage(1),
    'more binary garbage': garbage(2, 65536),
    'unclosed quote': b'entity_id,firstname\n1,"John\n1,Jane\n',
    'stray quote': b'entity_id,firstname\n1,Jo"hn"x\n1,"Ja"ne\n',
    'ten thousand columns': (','.join(f'col{i}' for i in range(10000)) + '\n' +
                             ','.join('x' for _ in range(10000)) + '\n').encode(),
    'ten thousand known-ish columns': (','.join(['firstname'] * 10000) + '\n').encode(),
    'one megabyte cell': b'entity_id,firstname\n1,' + b'x' * (1024 * 1024) + b'\n',
    'one megabyte quoted cell': b'entity_id,firstname\n1,"' + b'y' * (1024 * 1024) + b'"\n',
    'nul bytes': b'entity_id,firstname\n1,Jo\x00hn\n',
    'nul in header': b'entity\x00_id,firstname\n1,John\n',
    'only a bom': b'\xef\xbb\xbf',
    'header only': b'entity_id,firstname\n',
    'utf-16 without charset': 'entity_id,firstname\n1,John\n'.encode('utf-16'),
    'lone carriage returns': b'entity_id,firstname\r1,John\r1,\r',
    'huge int': b'entity_id,firstname,ring_seconds\n1,A,' + b'9' * 5000 + b'\n',
    'huge entity id': b'entity_id,firstname\n' + b'9' * 40 + b',A\n',
    'emoji everywhere': 'entity_id,firstname,exten,context,line_protocol\n'
                        '1,😀,😀,😀,😀\n'.encode(),
    'control characters': b'entity_id,firstname,sip_secret,exten,context,line_protocol\n'
                          b'1,A\x07\x1b[31m,\x01\x02,1000,default,sip\n',
}


@pytest.mark.parametrize('name', sorted(MALFORMED))
def test_malformed_file_gets_a_clear_4xx(server, name):
    response = server.post(MALFORMED[name])

    assert 400 <= response.status_code < 500, (name, response.status_code, response.text[:300])
    body = response.json()
    assert body['errors'] and all(error['message'] for error in body['errors'])
    assert 'Traceback' not in response.text
    assert server.count('user') == 0


@pytest.fixture
def limited(pg_uri):
    server = Server(make_config(pg_uri, None, max_body_bytes=2000, max_rows=3))
    server.clean()
    yield server
    server.stop()


def test_body_over_the_limit_is_413(limited):
    response = limited.post(make_csv([user('x' * 100)] * 30))

    assert response.status_code == 413
    assert 'limit of 2000 bytes' in response.json()['errors'][0]['message']
    assert limited.count('user') == 0


def test_rows_over_the_limit_is_413(limited):
    response = limited.post(make_csv([user(f'U{i}') for i in range(4)]))

    assert response.status_code == 413
    assert 'more than 3 rows' in response.json()['errors'][0]['message']


def test_rows_at_the_limit_are_fine(limited):
    assert limited.post(make_csv([user(f'U{i}') for i in range(3)])).status_code == 201
