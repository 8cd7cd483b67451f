# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The web page, end to end: headless Chromium (Debian's chromium and chromium-driver, driven by
Selenium) against the real server on PostgreSQL. Screenshots of each state go to
build/screenshots/."""

import csv
import io
import os
import re
import time

import pytest

from .conftest import TOKEN
from .helpers import make_csv, phone, user

webdriver = pytest.importorskip('selenium.webdriver')
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

SCREENSHOTS = os.path.join(os.path.dirname(__file__), '..', 'build', 'screenshots')
CHROMIUM, CHROMEDRIVER = '/usr/bin/chromium', '/usr/bin/chromedriver'


@pytest.fixture(scope='module')
def downloads(tmp_path_factory):
    return tmp_path_factory.mktemp('downloads')


@pytest.fixture(scope='module')
def browser(downloads, tmp_path_factory):
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        pytest.fail(
            'the web tests need Debian\'s chromium and chromium-driver (.ci/services '
            'installs them)'
        )
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        '--headless=new',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--window-size=1280,900',
        f'--user-data-dir={tmp_path_factory.mktemp("chromium")}',
    ):
        options.add_argument(flag)
    options.add_experimental_option(
        'prefs',
        {
            'download.default_directory': str(downloads),
            'download.prompt_for_download': False,
        },
    )
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    os.makedirs(SCREENSHOTS, exist_ok=True)
    yield driver
    driver.quit()


@pytest.fixture
def page(browser, server, downloads):
    for name in os.listdir(downloads):
        os.remove(os.path.join(downloads, name))
    browser.get(server.url + '/users/csv/')
    browser.execute_script('sessionStorage.clear()')
    browser.get(server.url + '/users/csv/')
    return browser


def wait(driver, condition, timeout=20):
    return WebDriverWait(driver, timeout).until(condition)


def visible(driver, element_id, timeout=20):
    return wait(driver, EC.visibility_of_element_located((By.ID, element_id)), timeout)


def table(driver, element_id):
    """The header and rows of a table, as its cells' text."""
    return [
        [cell.text for cell in tr.find_elements(By.CSS_SELECTOR, 'th, td')]
        for tr in driver.find_elements(By.CSS_SELECTOR, f'#{element_id} tr')
    ]


def shot(driver, name):
    driver.save_screenshot(os.path.join(SCREENSHOTS, f'{name}.png'))


def log_in(driver, token=TOKEN):
    field = visible(driver, 'token')
    field.send_keys(token)
    field.submit()


def choose(driver, mode, path):
    driver.find_element(By.CSS_SELECTOR, '#menu summary').click()
    visible(driver, f'menu-{mode}').click()
    driver.find_element(By.ID, 'file').send_keys(str(path))


def downloaded(downloads, name, timeout=20):
    path = downloads / name
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and not (downloads / (name + '.crdownload')).exists():
            return path.read_bytes()
        time.sleep(0.1)
    raise AssertionError(f'{name} was not downloaded: {os.listdir(downloads)}')


def test_a_wrong_token_is_refused_and_never_shown(page):
    log_in(page, 'not-a-token')

    status = visible(page, 'status')
    wait(page, lambda d: 'token was refused' in status.text)
    assert 'not-a-token' not in page.find_element(By.TAG_NAME, 'body').text
    assert page.find_element(By.ID, 'token-panel').is_displayed()
    assert not page.find_element(By.ID, 'actions').is_displayed()
    shot(page, '1-wrong-token')


def test_import_checks_then_applies(page, server, tmp_path):
    log_in(page)
    visible(page, 'columns-table')
    wait(
        page,
        lambda d: len(d.find_elements(By.CSS_SELECTOR, '#columns-table tbody tr'))
        == 37,
    )
    shot(page, '2-columns')
    path = tmp_path / 'users.csv'
    path.write_text(
        make_csv(
            [
                user('Ann', **phone('1000')),
                user('Bob', **phone('1001', 'sccp')),
                user(
                    'Cid',
                    voicemail_name='Box',
                    voicemail_number='1200',
                    voicemail_context='default',
                ),
            ]
        )
    )

    choose(page, 'import', path)

    visible(page, 'summary')
    assert page.find_element(By.ID, 'summary-title').text == '3 users will be created'
    cells = [
        [td.text for td in tr.find_elements(By.TAG_NAME, 'td')]
        for tr in page.find_elements(By.CSS_SELECTOR, '#summary-table tbody tr')
    ]
    assert ['user', '3', '0'] in cells and ['voicemail', '1', '0'] in cells
    # whom the file makes, by name, as it writes them
    assert table(page, 'preview-table')[1:] == [
        ['2', 'Ann', '1000@default', 'sip', '', ''],
        ['3', 'Bob', '1001@default', 'sccp', '', ''],
        ['4', 'Cid', '', '', '', ''],
    ]
    assert server.count('user') == 0  # the check is a dry run
    shot(page, '3-import-checked')

    page.find_element(By.ID, 'apply').click()

    result = visible(page, 'result')
    wait(page, lambda d: 'Done' in result.text)
    assert result.text == 'Done: 3 users created.'
    exported = server.get('/users/export').text
    assert all(f',{name},' in exported for name in ('Ann', 'Bob', 'Cid'))
    shot(page, '4-import-applied')


def test_every_error_is_listed_and_the_whole_file_fixed_in_place_imports(
    page, server, tmp_path, downloads
):
    log_in(page)
    path = tmp_path / 'bad.csv'
    path.write_text(
        'entity_id,firstname,ring_seconds,exten,context,line_protocol\n'
        '1,Ann,30,1000,default,sip\n'
        '1,,7,1001,default,sip\n'
        '1,Cid,30,5000,default,iax\n'
    )

    choose(page, 'import', path)

    visible(page, 'errors')
    rows = [
        [td.text for td in tr.find_elements(By.TAG_NAME, 'td')][:3]
        for tr in page.find_elements(By.CSS_SELECTOR, '#error-table tbody tr')
    ]
    assert rows == [
        ['2', '3', 'ring_seconds'],
        ['2', '3', 'firstname'],
        ['3', '4', 'line_protocol'],
        ['3', '4', 'exten'],
    ]
    assert page.find_element(By.ID, 'error-count').text == '4 problems in 2 rows'
    groups = sorted(
        [td.text for td in tr.find_elements(By.TAG_NAME, 'td')]
        for tr in page.find_elements(By.CSS_SELECTOR, '#error-groups tbody tr')
    )
    assert groups == [
        ['exten', 'out of range', '1'],
        ['firstname', 'required', '1'],
        ['line_protocol', 'invalid', '1'],
        ['ring_seconds', 'invalid', '1'],
    ]
    assert server.count('user') == 0
    shot(page, '5-import-errors')

    page.find_element(By.ID, 'download-errors').click()
    content = downloaded(downloads, 'failing-rows.csv')
    assert content.startswith('\ufeff'.encode())  # for Excel on Windows
    failing = list(csv.reader(io.StringIO(content.decode('utf-8-sig'))))
    assert [row[1] for row in failing[1:]] == ['', 'Cid']
    assert 'ring_seconds: must be a multiple of 5' in failing[1][-1]
    assert 'firstname: is required' in failing[1][-1]

    # the whole file, every row, an error column: fixed in place and sent again through the
    # page, the good row goes in with the fixed ones (all or nothing)
    page.find_element(By.ID, 'download-all').click()
    whole = list(
        csv.reader(
            io.StringIO(
                downloaded(downloads, 'users-with-errors.csv').decode('utf-8-sig')
            )
        )
    )
    assert whole[0][-1] == 'error'
    assert [(row[1], bool(row[-1])) for row in whole[1:]] == [
        ('Ann', False),
        ('', True),
        ('Cid', True),
    ]
    whole[2][1:3] = ['Bea', '30']
    whole[3][3:6] = ['1002', 'default', 'sip']
    fixed = tmp_path / 'users-with-errors.csv'
    with open(fixed, 'w', newline='', encoding='utf-8-sig') as stream:
        csv.writer(stream, lineterminator='\r\n').writerows(whole)
    page.find_element(By.ID, 'file').send_keys(str(fixed))
    title = visible(page, 'summary-title')
    wait(page, lambda d: title.text == '3 users will be created')
    page.find_element(By.ID, 'apply').click()
    wait(page, lambda d: 'Done' in page.find_element(By.ID, 'result').text)
    assert sorted(row['firstname'] for row in server.rows('user')) == [
        'Ann',
        'Bea',
        'Cid',
    ]


def test_update_from_file(page, server, tmp_path):
    assert (
        server.post(make_csv([user('Dan', **phone('1000')), user('Ed')])).status_code
        == 201
    )
    exported = server.get('/users/export').text
    path = tmp_path / 'edited.csv'
    path.write_text(
        exported.replace(',Dan,', ',Daniel,').replace(',1000,', ',1001,'), newline=''
    )
    log_in(page)

    choose(page, 'update', path)

    visible(page, 'summary')
    assert (
        page.find_element(By.ID, 'summary-title').text
        == '1 user will be updated (2 changes), 1 unchanged'
    )
    # per resource, what the update announces; per user, the columns it changes
    assert table(page, 'summary-table') == [
        ['Resource', 'Created', 'Updated', 'Linked', 'Unlinked'],
        ['extension', '0', '1', '0', '0'],
        ['user', '0', '1', '0', '0'],
    ]
    assert table(page, 'changes-table') == [
        ['Row', 'User', 'Changed columns'],
        ['1', 'Daniel', 'firstname, exten'],
    ]
    shot(page, '6-update-checked')
    assert (
        page.switch_to.active_element.get_attribute('id') != 'apply'
    )  # no stray Enter
    page.find_element(By.ID, 'apply').click()
    confirm = wait(page, EC.alert_is_present())  # an update asks first, with the count
    assert confirm.text.startswith('Update 1 user (2 changes)?')
    confirm.dismiss()
    assert ',Dan,' in server.get('/users/export').text  # stepped back: nothing changed
    page.find_element(By.ID, 'apply').click()
    wait(page, EC.alert_is_present()).accept()
    result = visible(page, 'result')
    wait(page, lambda d: 'Done' in result.text)
    assert result.text == 'Done: 1 user updated, 1 unchanged.'
    assert page.switch_to.active_element.get_attribute('id') == 'result'  # not <body>
    assert table(page, 'changes-table')[1:] == [['1', 'Daniel', 'firstname, exten']]
    assert ',Daniel,' in server.get('/users/export').text
    # the users list shows the user it changed, not Ed whom it left as he was
    users_range = page.find_element(By.ID, 'users-range')
    wait(page, lambda d: users_range.text == '1–1 of 1')
    assert table(page, 'users-table')[1][:4] == ['Daniel', '', '', '1001@default']
    shot(page, '6-update-applied')


def test_an_unchanged_file_says_so_and_a_file_chosen_again_is_checked_again(
    page, server, tmp_path
):
    assert server.post(make_csv([user('Gus'), user('Hal')])).status_code == 201
    path = tmp_path / 'export.csv'
    path.write_text(server.get('/users/export').text, newline='')
    log_in(page)

    choose(page, 'update', path)

    title = visible(page, 'summary-title')
    wait(page, lambda d: title.text)
    assert title.text == 'nothing to change: the file matches its 2 users'
    assert not page.find_element(By.ID, 'apply').is_enabled()
    # the same file, edited and chosen again under the same name: a new check
    path.write_text(
        server.get('/users/export').text.replace(',Gus,', ',Gustav,'), newline=''
    )
    page.find_element(By.ID, 'file').send_keys(str(path))
    wait(page, lambda d: title.text == '1 user will be updated (1 change), 1 unchanged')
    assert page.find_element(By.ID, 'apply').is_enabled()


def test_export_downloads_the_csv(page, server, downloads):
    assert server.post(make_csv([user('Eve'), user('Fay')])).status_code == 201
    log_in(page)
    visible(page, 'actions')

    page.find_element(By.CSS_SELECTOR, '#menu summary').click()
    shot(page, '7-menu')
    visible(page, 'menu-export').click()

    # with a UTF-8 byte order mark, for Excel on Windows
    assert downloaded(downloads, 'users.csv') == (
        '\ufeff'.encode() + server.get('/users/export').content
    )
    page.find_element(By.ID, 'template').click()
    template = downloaded(downloads, 'users-template.csv').decode()
    assert template.startswith('uuid,entity_id,firstname,')


def test_the_page_uses_no_outside_resource(server):
    import requests

    html = requests.get(server.url + '/users/csv/', timeout=10).text
    assert 'http://' not in html and 'https://' not in html
    assert requests.get(server.url + '/users/csv/app.js', timeout=10).status_code == 200
    assert (
        requests.get(
            server.url + '/users/csv/../../../etc/passwd', timeout=10
        ).status_code
        == 404
    )


def test_the_menu_closes_on_an_outside_click_and_escape_keeps_the_focus(page, server):
    log_in(page)
    visible(page, 'actions')
    menu = page.find_element(By.ID, 'menu')

    page.find_element(By.CSS_SELECTOR, '#menu summary').click()
    assert menu.get_attribute('open') is not None
    page.find_element(By.TAG_NAME, 'h1').click()
    wait(page, lambda d: menu.get_attribute('open') is None)

    page.find_element(By.CSS_SELECTOR, '#menu summary').click()
    page.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait(page, lambda d: menu.get_attribute('open') is None)
    assert page.switch_to.active_element.tag_name == 'summary'


def test_a_newer_file_wins_over_an_older_slower_check(page, server, tmp_path):
    """Choosing another file while a big one is being checked: the answer shown (and the file
    Apply sends) is the newer file's, whenever the older answer arrives."""
    big, small = tmp_path / 'big.csv', tmp_path / 'small.csv'
    big.write_text(make_csv([user(f'B{n}') for n in range(6000)]))
    small.write_text(make_csv([user('Small')]))
    log_in(page)

    choose(page, 'import', big)
    page.find_element(By.ID, 'file').send_keys(str(small))

    title = visible(page, 'summary-title')
    wait(page, lambda d: title.text == '1 user will be created')
    time.sleep(3)  # the big file's answer comes and goes: it must not show
    assert title.text == '1 user will be created'
    page.find_element(By.ID, 'apply').click()
    wait(page, lambda d: 'Done' in page.find_element(By.ID, 'result').text)
    assert [row['firstname'] for row in server.rows('user')] == ['Small']


def test_a_token_without_one_right_stays_logged_in_and_is_told_which(page, server):
    log_in(page, token='columns-only')  # import and columns, not export
    visible(page, 'actions')

    page.find_element(By.CSS_SELECTOR, '#menu summary').click()
    visible(page, 'menu-export').click()

    status = page.find_element(By.ID, 'status')
    wait(page, lambda d: 'may not export users' in status.text)
    assert page.find_element(By.ID, 'actions').is_displayed()  # still logged in
    assert not page.find_element(By.ID, 'token-panel').is_displayed()


# Words of the page's table cells split over two lines although they fit in their cell.
SPLIT_WORDS = """
const split = [];
for (const td of document.querySelectorAll('.users-csv td')) {
  if (!td.offsetParent || !td.firstChild || td.firstChild.nodeType !== 3) continue;
  const style = getComputedStyle(td);
  const room = td.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  // a hyphen is a break the browser may take (a name such as Oberhollenzer-Wittgenstein in a
  // message): its parts are the words
  const text = td.firstChild.data, words = /[^\\s-]+-?/g;
  for (let m; (m = words.exec(text));) {
    const range = document.createRange();
    range.setStart(td.firstChild, m.index);
    range.setEnd(td.firstChild, m.index + m[0].length);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0);
    const width = rects.reduce((sum, r) => sum + r.width, 0);
    if (rects.length > 1 && width < room - 1) split.push(m[0]);
  }
}
return split;
"""


def test_tables_wrap_at_word_boundaries_and_a_narrow_window_never_scrolls_sideways(
    page, server, tmp_path
):
    assert (
        server.post(
            make_csv(
                [
                    user(
                        f'Maximilian{n}',
                        lastname='Oberhollenzer-Wittgenstein',
                        email=f'maximilian.oberhollenzer{n}@example.com',
                        **phone(f'{1200 + n}'),
                    )
                    for n in range(3)
                ]
            )
        ).status_code
        == 201
    )
    path = tmp_path / 'bad.csv'
    path.write_text(
        'entity_id,firstname,email,ring_seconds,exten,context\n'
        '1,Ann,' + 'x' * 120 + '@example.com,7,1200,default\n1,,,7,,\n'
    )
    log_in(page)
    users_range = visible(page, 'users-range')
    wait(page, lambda d: users_range.text == '1–3 of 3')
    choose(page, 'import', path)
    visible(page, 'errors')
    try:
        for width in (1280, 800, 400):
            page.set_window_size(width, 900)
            assert page.execute_script(SPLIT_WORDS) == [], width
        shot(page, '9-narrow-errors')
        scrolled = page.execute_script('return document.documentElement.scrollWidth')
        assert scrolled <= page.execute_script('return window.innerWidth'), scrolled
    finally:
        page.set_window_size(1280, 900)


class _Gateway:
    """A reverse proxy in front of the server, as a PBX's web front end: it passes every
    request on, but answers the next Apply with its own 504 once the server has answered
    (the server has committed; the page never learns it)."""

    def __init__(self, server):
        import http.server
        import threading

        import requests

        gateway = self
        self.lose_next_apply = False
        self.drop_prefer = False  # as a server that knows no jobs (an older plugin)

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _forward(self):
                length = int(self.headers.get('Content-Length') or 0)
                body = self.rfile.read(length) if length else None
                dropped = ('host', 'prefer') if gateway.drop_prefer else ('host',)
                headers = {
                    k: v for k, v in self.headers.items() if k.lower() not in dropped
                }
                upstream = requests.request(
                    self.command,
                    server.url[: -len('/1.1')] + self.path,
                    data=body,
                    headers=headers,
                    timeout=120,
                    allow_redirects=False,
                )
                applying = (
                    self.command in ('POST', 'PUT') and 'dry_run' not in self.path
                )
                if applying and gateway.lose_next_apply:
                    gateway.lose_next_apply = False
                    self.send_response(504)
                    self.send_header('Content-Type', 'text/html')
                    self.end_headers()
                    self.wfile.write(b'<html><body>504 Gateway Time-out</body></html>')
                    return
                self.send_response(upstream.status_code)
                for name, value in upstream.headers.items():
                    if name.lower() not in (
                        'content-length',
                        'transfer-encoding',
                        'connection',
                        'content-encoding',
                    ):
                        self.send_header(name, value)
                self.send_header('Content-Length', str(len(upstream.content)))
                self.end_headers()
                self.wfile.write(upstream.content)

            do_GET = do_POST = do_PUT = do_DELETE = _forward

        self.httpd = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.url = f'http://127.0.0.1:{self.httpd.server_address[1]}/1.1'
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def test_an_apply_whose_answer_was_lost_is_asked_again_and_applied_once(
    browser, server, tmp_path
):
    gateway = _Gateway(server)
    try:
        browser.get(gateway.url + '/users/csv/')
        browser.execute_script('sessionStorage.clear()')
        browser.get(gateway.url + '/users/csv/')
        path = tmp_path / 'users.csv'
        path.write_text(make_csv([user('Lost'), user('Found')]))  # no unique column
        log_in(browser)
        choose(browser, 'import', path)
        visible(browser, 'summary')

        gateway.lose_next_apply = True
        browser.find_element(By.ID, 'apply').click()

        result = visible(browser, 'result')
        wait(browser, lambda d: 'was lost' in result.text)
        assert 'users.csv' in result.text  # the file that was sent
        assert 'answered 504' in result.text and 'may have been applied' in result.text
        assert 'Nothing was written' not in result.text
        assert server.count('user') == 2  # it was, behind the proxy's back
        shot(browser, '10-answer-lost')
        again = visible(browser, 'ask-again')
        assert browser.switch_to.active_element == again

        again.click()

        wait(browser, lambda d: 'Done' in result.text)
        assert result.text == (
            'Done: 2 users created. It had been applied already (once): '
            'this is what it did then.'
        )
        assert server.count('user') == 2  # not twice
        assert not browser.find_element(By.ID, 'ask-again').is_displayed()
    finally:
        gateway.stop()


def test_users_are_listed_searched_paged_and_an_import_shows_what_it_made(
    page, server, tmp_path
):
    assert (
        server.post(make_csv([user(f'Old{n:02d}') for n in range(55)])).status_code
        == 201
    )
    log_in(page)

    users_range = visible(page, 'users-range')
    wait(page, lambda d: users_range.text == '1–50 of 55')
    assert table(page, 'users-table')[1][0] == 'Old00'
    page.find_element(By.ID, 'users-next').click()
    wait(page, lambda d: users_range.text == '51–55 of 55')
    assert [row[0] for row in table(page, 'users-table')[1:]] == [
        f'Old{n:02d}' for n in range(50, 55)
    ]
    assert not page.find_element(By.ID, 'users-next').is_enabled()
    search = page.find_element(By.ID, 'user-search')
    search.send_keys('old4')
    wait(page, lambda d: users_range.text == '1–10 of 10')  # Old40 .. Old49

    path = tmp_path / 'new.csv'
    path.write_text(
        make_csv(
            [
                user('Nia', lastname='Ray', **phone('1000')),
                user('Oto', **phone('1001', 'sccp')),
            ]
        )
    )
    choose(page, 'import', path)
    visible(page, 'summary')
    page.find_element(By.ID, 'apply').click()
    result = visible(page, 'result')
    wait(page, lambda d: 'Done' in result.text)

    # the users just made, with what the admin hands out: SIP account, provisioning code
    wait(page, lambda d: users_range.text == '1–2 of 2')
    assert 'new.csv' in page.find_element(By.ID, 'users-note').text
    rows = table(page, 'users-table')
    [sip] = [row for row in parse_export(server) if row['firstname'] == 'Nia']
    assert rows[1] == [
        'Nia Ray',
        '',
        '',
        '1000@default',
        'sip',
        sip['sip_username'],
        '••••••',
        sip['provisioning_code'],
    ]
    assert rows[2][:5] == ['Oto', '', '', '1001@default', 'sccp']
    page.find_element(By.ID, 'show-secrets').click()
    assert table(page, 'users-table')[1][6] == sip['sip_secret']
    shot(page, '11-users-made')
    page.find_element(By.ID, 'all-users').click()
    wait(page, lambda d: users_range.text == '1–50 of 57')


def parse_export(server):
    return list(
        csv.DictReader(io.StringIO(server.get('/users/export').text, newline=''))
    )


def test_the_keyboard_reaches_every_menu_item_and_opens_the_file_chooser(page, server):
    log_in(page)
    visible(page, 'actions')
    summary = page.find_element(By.CSS_SELECTOR, '#menu summary')
    summary.send_keys(Keys.ENTER)  # opens the menu
    focused = lambda: page.switch_to.active_element.get_attribute('id')  # noqa: E731

    page.switch_to.active_element.send_keys(Keys.ARROW_DOWN)
    assert focused() == 'menu-import'
    page.switch_to.active_element.send_keys(Keys.ARROW_DOWN)
    assert focused() == 'menu-update'
    page.switch_to.active_element.send_keys(Keys.END)
    assert focused() == 'menu-export'
    page.switch_to.active_element.send_keys(Keys.ARROW_DOWN)  # round to the first
    assert focused() == 'menu-import'
    page.switch_to.active_element.send_keys(Keys.ARROW_UP)
    assert focused() == 'menu-export'
    page.switch_to.active_element.send_keys(Keys.HOME)
    assert focused() == 'menu-import'
    page.switch_to.active_element.send_keys(Keys.ENTER)  # Import a file

    zone = visible(page, 'drop-zone')
    # the chooser is the browser's own window: what matters is that the input was clicked
    page.execute_script(
        "window.chooserOpened = 0; document.getElementById('file')"
        ".addEventListener('click', (e) => { e.preventDefault(); "
        "window.chooserOpened += 1; });"
    )
    zone.send_keys(Keys.ENTER)
    zone.send_keys(Keys.SPACE)
    assert page.execute_script('return window.chooserOpened') == 2


def test_many_errors_are_paged_and_filtered(page, server, tmp_path):
    path = tmp_path / 'bad.csv'
    rows = [user(f'U{n}', ring_seconds='7') for n in range(230)] + [user('')] * 20
    path.write_text(make_csv(rows))
    log_in(page)

    choose(page, 'import', path)

    errors_range = visible(page, 'errors-range')
    assert errors_range.text == '1–100 of 250'
    assert len(table(page, 'error-table')) == 101
    page.find_element(By.ID, 'errors-next').click()
    page.find_element(By.ID, 'errors-next').click()
    assert errors_range.text == '201–250 of 250'
    assert not page.find_element(By.ID, 'errors-next').is_enabled()
    page.find_element(By.ID, 'error-filter').send_keys('firstname')
    assert errors_range.text == '1–20 of 20'
    assert {row[2] for row in table(page, 'error-table')[1:]} == {'firstname'}
    assert (
        table(page, 'error-table')[0][1] == 'File line'
    )  # a line of the file, not an id


def test_past_the_error_cap_the_whole_file_still_marks_every_failing_row(
    page, server, tmp_path, downloads
):
    """1,100 failing rows, 1,000 errors listed: the whole file given back marks all 1,100
    (the answer's failing_lines), and says which errors were not listed."""
    path = tmp_path / 'many.csv'
    rows = [user('Good')] + [user(f'U{n}', ring_seconds='7') for n in range(1100)]
    path.write_text(make_csv(rows))
    log_in(page)

    choose(page, 'import', path)

    cap = visible(page, 'errors-cap')
    assert 'The first 1,000 are listed' in cap.text
    page.find_element(By.ID, 'download-all').click()
    whole = list(
        csv.DictReader(
            io.StringIO(
                downloaded(downloads, 'users-with-errors.csv').decode('utf-8-sig')
            )
        )
    )
    assert len(whole) == 1101 and whole[0]['error'] == ''  # every row, the good one too
    assert all(row['error'] for row in whole[1:])
    assert 'multiple of 5' in whole[1000]['error']  # the 1,000th error, listed
    assert 'past the first ones listed' in whole[1001]['error']


def test_a_check_can_be_cancelled(page, server, tmp_path):
    big = tmp_path / 'big.csv'
    big.write_text(make_csv([user(f'B{n}') for n in range(20000)]))
    log_in(page)

    choose(page, 'import', big)
    visible(page, 'cancel').click()

    status = page.find_element(By.ID, 'status')
    wait(page, lambda d: 'was cancelled' in status.text)
    assert not page.find_element(By.ID, 'working').is_displayed()
    time.sleep(2)
    assert not page.find_element(By.ID, 'summary').is_displayed()
    assert server.count('user') == 0


def test_the_charset_is_found_for_each_file_and_never_carried_over(
    page, server, tmp_path
):
    """A Windows-1252 file (Excel's plain "CSV") is read as such; the UTF-8 file chosen next
    is read as UTF-8 again, not as Windows-1252 ("HÃ©lÃ¨ne")."""
    excel = tmp_path / 'excel.csv'
    excel.write_bytes(make_csv([user('Léa', lastname='Müller')]).encode('cp1252'))
    utf8 = tmp_path / 'utf8.csv'
    utf8.write_bytes(make_csv([user('Hélène', lastname='Żak')]).encode('utf-8'))
    log_in(page)

    choose(page, 'import', excel)

    title = visible(page, 'summary-title')
    wait(page, lambda d: title.text == '1 user will be created')
    assert 'read as Windows-1252' in page.find_element(By.ID, 'charset-note').text
    assert table(page, 'preview-table')[1][1] == 'Léa Müller'
    page.find_element(By.ID, 'apply').click()
    wait(page, lambda d: 'Done' in page.find_element(By.ID, 'result').text)

    page.find_element(By.ID, 'file').send_keys(str(utf8))

    wait(
        page, lambda d: title.is_displayed() and title.text == '1 user will be created'
    )
    assert (
        Select(page.find_element(By.ID, 'charset')).first_selected_option.get_attribute(
            'value'
        )
        == 'utf-8'
    )
    page.find_element(By.ID, 'apply').click()
    wait(page, lambda d: 'Done' in page.find_element(By.ID, 'result').text)
    assert sorted(
        (row['firstname'], row['lastname']) for row in server.rows('user')
    ) == [
        ('Hélène', 'Żak'),
        ('Léa', 'Müller'),
    ]


def test_a_file_chosen_during_apply_is_refused_and_the_result_names_the_applied_file(
    page, server, tmp_path
):
    big, other = tmp_path / 'big.csv', tmp_path / 'other.csv'
    big.write_text(make_csv([user(f'B{n}') for n in range(3000)]))
    other.write_text(make_csv([user('Other')]))
    log_in(page)
    choose(page, 'import', big)
    visible(page, 'summary')

    page.find_element(By.ID, 'apply').click()

    # while it is applied, no other file can be chosen, dropped, or sent
    assert page.execute_script(
        "return ['file', 'charset', 'menu-import', 'menu-update', 'menu-export']"
        ".every((id) => document.getElementById(id).disabled)"
    )
    page.execute_script(
        "const data = new DataTransfer();"
        "data.items.add(new File(['entity_id,firstname\\n1,Dropped\\n'], 'dropped.csv'));"
        "document.getElementById('drop-zone').dispatchEvent("
        "new DragEvent('drop', {dataTransfer: data, bubbles: true, cancelable: true}));"
    )
    result = page.find_element(By.ID, 'result')
    wait(page, lambda d: 'Done' in result.text, timeout=120)
    assert result.text == 'Done: 3,000 users created.'
    assert 'big.csv' in page.find_element(By.ID, 'users-note').text
    assert page.find_element(By.ID, 'file').is_enabled()  # unlocked once answered
    assert server.count('user') == 3000  # nothing of the dropped file
    page.find_element(By.ID, 'file').send_keys(str(other))
    title = visible(page, 'summary-title')
    wait(page, lambda d: title.text == '1 user will be created')


def test_a_file_excel_saved_with_semicolons_imports(page, server, tmp_path):
    """Excel in French or German separates with ; and quotes a cell holding one."""
    path = tmp_path / 'excel-fr.csv'
    path.write_bytes(
        '\ufeffentity_id;firstname;lastname;call_permissions\r\n'
        '1;Zoé;Dupont;"international;mobile"\r\n'.encode()
    )
    log_in(page)

    choose(page, 'import', path)

    title = visible(page, 'summary-title')
    wait(page, lambda d: title.text == '1 user will be created')
    page.find_element(By.ID, 'apply').click()
    wait(page, lambda d: 'Done' in page.find_element(By.ID, 'result').text)
    exported = parse_export(server)
    assert [(row['firstname'], row['call_permissions']) for row in exported] == [
        ('Zoé', 'international;mobile')
    ]


def test_the_failing_rows_of_a_semicolon_file_keep_its_separator(
    page, server, tmp_path, downloads
):
    path = tmp_path / 'excel-de.csv'
    path.write_bytes(
        'entity_id;firstname;ring_seconds;call_permissions\r\n'
        '1;Jörg;30;"international;mobile"\r\n'
        '1;Uwe;7;mobile\r\n'.encode()
    )
    log_in(page)
    choose(page, 'import', path)
    visible(page, 'errors')

    page.find_element(By.ID, 'download-errors').click()

    content = downloaded(downloads, 'failing-rows.csv').decode('utf-8-sig')
    failing = list(csv.reader(io.StringIO(content), delimiter=';'))
    assert failing[0] == [
        'entity_id',
        'firstname',
        'ring_seconds',
        'call_permissions',
        'error',
    ]
    assert failing[1][:4] == ['1', 'Uwe', '7', 'mobile']
    assert 'ring_seconds: must be a multiple of 5' in failing[1][4]
    # fixed in a spreadsheet (the cell only), it imports as it is, error column and all
    fixed = content.replace(';7;', ';15;')
    assert server.post(fixed.encode()).status_code == 201
    assert [row['firstname'] for row in server.rows('user')] == ['Uwe']


# --- jobs: the page sends Prefer: respond-async and follows the job ---------------------------


def jobs(server):
    answer = server.get('/users/import/jobs')
    assert answer.status_code == 200, answer.text
    return answer.json()['items']


def watch_phases(driver):
    """Records in the page every phase it shows (a phase may last less than a poll of the
    test)."""
    driver.execute_script(
        "window.phasesSeen = [];"
        "const working = document.getElementById('working');"
        "new MutationObserver(() => {"
        "  const text = document.getElementById('progress-text').textContent;"
        "  window.phasesSeen.push([working.dataset.phase, text]);"
        "}).observe(working, {attributes: true, subtree: true, childList: true,"
        "  characterData: true});"
    )


def phases_seen(driver):
    return [tuple(seen) for seen in driver.execute_script('return window.phasesSeen')]


def phase_shown(driver, phases, timeout=60):
    """Waits until the page shows one of these phases."""

    def shown(d):
        working = d.find_element(By.ID, 'working')
        return working.is_displayed() and working.get_attribute('data-phase') in phases

    wait(driver, shown, timeout)


def test_a_check_and_an_apply_are_jobs_whose_progress_is_shown(page, server, tmp_path):
    before = {job['uuid'] for job in jobs(server)}
    big = tmp_path / 'many.csv'
    big.write_text(make_csv([user(f'M{n}') for n in range(20000)]))
    log_in(page)

    watch_phases(page)
    choose(page, 'import', big)

    title = visible(page, 'summary-title', timeout=120)
    wait(page, lambda d: title.text == '20,000 users will be created')
    assert not page.find_element(By.ID, 'working').is_displayed()
    # the phases in words, with how far each is (a phase may pass between two polls)
    seen = phases_seen(page)
    counted = [text for phase, text in seen if phase in ('checking', 'writing')]
    assert counted and all(
        re.fullmatch(
            r'(checking|trying the writes \(nothing is kept\)): row [0-9,]+ of 20,000',
            text,
        )
        for text in counted
    ), seen
    watch_phases(page)

    page.find_element(By.ID, 'apply').click()

    result = page.find_element(By.ID, 'result')
    wait(page, lambda d: 'Done' in result.text, timeout=180)
    assert (
        result.text == 'Done: 20,000 users created.'
    )  # as the synchronous answer said
    shown = [phase for phase, _ in phases_seen(page)]
    assert 'writing' in shown, shown
    assert server.count('user') == 20000
    made = [job for job in jobs(server) if job['uuid'] not in before]
    assert [(job['verb'], job['dry_run'], job['phase']) for job in made] == [
        ('import', False, 'done'),
        ('import', True, 'done'),
    ]  # the newest first
    # the recent jobs, as the page lists them
    page.find_element(By.CSS_SELECTOR, '#jobs-panel summary').click()
    wait(page, lambda d: len(table(d, 'jobs-table')) >= 3)
    assert [row[1:] for row in table(page, 'jobs-table')[1:3]] == [
        ['Import', 'done', '20,000', '201 applied'],
        ['Import (check)', 'done', '20,000', '200 checked'],
    ]


def test_a_check_is_cancelled_while_the_server_checks(page, server, tmp_path):
    big = tmp_path / 'big.csv'
    big.write_text(make_csv([user(f'C{n}') for n in range(90000)]))
    log_in(page)
    choose(page, 'import', big)

    phase_shown(page, ('checking',))
    visible(page, 'cancel').click()

    status = page.find_element(By.ID, 'status')
    wait(page, lambda d: 'was cancelled' in status.text, timeout=60)
    assert not page.find_element(By.ID, 'working').is_displayed()
    assert not page.find_element(By.ID, 'summary').is_displayed()
    assert jobs(server)[0]['phase'] == 'cancelled'
    assert server.count('user') == 0


def test_a_page_reloaded_during_an_apply_finds_its_job_and_shows_its_answer(
    page, server, tmp_path
):
    big = tmp_path / 'reload.csv'
    big.write_text(make_csv([user(f'R{n}') for n in range(50000)]))
    log_in(page)
    choose(page, 'import', big)
    title = visible(page, 'summary-title', timeout=120)
    wait(page, lambda d: title.text == '50,000 users will be created')
    page.find_element(By.ID, 'apply').click()
    phase_shown(page, ('queued', 'reading', 'checking', 'writing'))

    page.refresh()  # the tab keeps its token: the page starts again, mid-job

    phase_shown(page, ('reading', 'checking', 'writing', 'committing', 'publishing'))
    assert page.find_element(By.ID, 'progress-text').text
    assert page.find_element(By.ID, 'file').get_attribute(
        'disabled'
    )  # locked, as Apply
    result = page.find_element(By.ID, 'result')
    wait(page, lambda d: 'Done' in result.text, timeout=180)
    assert result.text == 'Done: 50,000 users created.'
    users_note = page.find_element(By.ID, 'users-note')
    wait(page, lambda d: 'reload.csv' in users_note.text)
    assert server.count('user') == 50000
    # shown once: the next visit starts afresh
    page.refresh()
    visible(page, 'users-range')
    time.sleep(2)
    assert not page.find_element(By.ID, 'file-panel').is_displayed()


def test_a_page_reloaded_after_its_check_ended_shows_the_errors(page, server, tmp_path):
    bad = tmp_path / 'bad.csv'
    bad.write_text(make_csv([user(f'E{n}', ring_seconds='7') for n in range(60000)]))
    log_in(page)
    choose(page, 'import', bad)
    # the server has the job (the page keeps it for the tab): leave before its answer
    wait(
        page,
        lambda d: d.execute_script("return sessionStorage.getItem('users-csv-job:')"),
    )
    assert not page.find_element(By.ID, 'errors').is_displayed()

    page.get('about:blank')  # the check goes on without the page
    time.sleep(3)
    page.get(server.url + '/users/csv/')

    visible(page, 'errors', timeout=120)
    assert jobs(server)[0]['phase'] == 'done'
    assert (
        page.find_element(By.ID, 'error-count').text == '60,000 problems in 60,000 rows'
    )
    assert server.count('user') == 0


def test_a_server_that_answers_at_once_is_shown_as_before(browser, server, tmp_path):
    gateway = _Gateway(server)
    gateway.drop_prefer = True  # the server never hears the preference: 200 and 201
    before = len(jobs(server))
    try:
        browser.get(gateway.url + '/users/csv/')
        browser.execute_script('sessionStorage.clear()')
        browser.get(gateway.url + '/users/csv/')
        path = tmp_path / 'old.csv'
        path.write_text(make_csv([user('Ann', **phone('1000')), user('Bob')]))
        log_in(browser)
        choose(browser, 'import', path)
        title = visible(browser, 'summary-title')
        wait(browser, lambda d: title.text == '2 users will be created')

        browser.find_element(By.ID, 'apply').click()

        result = visible(browser, 'result')
        wait(browser, lambda d: 'Done' in result.text)
        assert result.text == 'Done: 2 users created.'
        assert len(jobs(server)) == before  # no job: answered at once
    finally:
        gateway.stop()
