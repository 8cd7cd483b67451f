# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The page inside the real wazo-ui: its plugin loaded by wazo-ui's stevedore from the package's
snippet, wazo-ui's login (username and password, against the wazo-auth stand-in), its layout,
menu and working tenant; every call made by wazo-ui's server to the real confd with the
plugin. Screenshots go to build/screenshots/ (docs/wazo-ui-*.png are copies)."""

import csv
import io
import os
import re
import time

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from wazo_confd_users_csv_testing.standins import LOGINS, MASTER, SUB

from ..test_web import (  # noqa: F401
    browser,
    downloaded,
    downloads,
    phase_shown,
    phases_seen,
    shot,
    table,
    visible,
    wait,
    watch_phases,
)
from .test_import import users
from .wazo_ui_server import WazoUi


@pytest.fixture(scope='module')
def wazo_ui(tmp_path_factory, confd_session):
    server = WazoUi(str(tmp_path_factory.mktemp('wazo-ui')), confd_session)
    yield server
    server.stop()


@pytest.fixture
def failure_shot(request, browser):  # noqa: F811
    """What the browser showed when a test failed: build/screenshots/failed-<test>.png."""
    yield
    if getattr(request.node, 'failed_call', False):
        shot(browser, f'failed-{request.node.name}')
        print(
            'page at',
            browser.current_url,
            'status:',
            browser.execute_script(
                "const s = document.getElementById('status'); return s && s.textContent"
            ),
        )


def logged_in(wazo_ui, username='admin'):
    """A requests session logged into wazo-ui through its login form, and the page's CSRF
    value."""
    http = requests.Session()
    form = http.get(f'{wazo_ui.url}/login/', timeout=30).text
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    answer = http.post(
        f'{wazo_ui.url}/login/',
        data={
            'csrf_token': csrf,
            'username': username,
            'password': LOGINS[username][0],
            'language': 'en',
        },
        timeout=30,
    )
    assert answer.status_code == 200 and 'logout' in answer.text, answer.text[:500]
    page = http.get(f'{wazo_ui.url}/users_csv/', timeout=30).text
    return http, re.search(r'data-csrf="([^"]+)"', page).group(1)


def test_the_routes_need_the_session_and_the_page(wazo_ui, confd):
    api = f'{wazo_ui.url}/users_csv/api'
    # no session: a JSON 401 (the page asks with XMLHttpRequest), not the login page
    anonymous = requests.get(f'{api}/import/columns', timeout=30)
    assert anonymous.status_code == 401 and 'log in again' in anonymous.text
    page = requests.get(f'{wazo_ui.url}/users_csv/', timeout=30, allow_redirects=False)
    assert page.status_code == 302 and '/login' in page.headers['Location']

    http, csrf = logged_in(wazo_ui)
    # logged in, but not sent by the page (another site can make the browser send the cookie)
    assert http.get(f'{api}/import/columns', timeout=30).status_code == 403
    body = 'firstname\nOla\n'.encode()
    forged = http.post(
        f'{api}/import', data=body, headers={'Content-Type': 'text/csv'}, timeout=30
    )
    assert forged.status_code == 403 and users(confd, tenant=MASTER) == []

    columns = http.get(
        f'{api}/import/columns', headers={'X-CSRFToken': csrf}, timeout=30
    )
    assert columns.status_code == 200 and columns.json()[0]['name'] == 'uuid'
    # the page never holds the session's token
    assert (
        LOGINS['admin'][1] not in http.get(f'{wazo_ui.url}/users_csv/', timeout=30).text
    )


def test_a_refusal_never_carries_the_token_and_secrets_left_out_are_said(
    wazo_ui, confd
):
    assert confd.post_csv('firstname\nSam\n', tenant=MASTER).status_code == 201
    http, csrf = logged_in(
        wazo_ui, 'exporter'
    )  # may export, without secrets; not import
    api = f'{wazo_ui.url}/users_csv/api'

    refused = http.post(
        f'{api}/import?dry_run=true',
        data=b'firstname\nOla\n',
        headers={'Content-Type': 'text/csv; charset=utf-8', 'X-CSRFToken': csrf},
        timeout=30,
    )

    assert refused.status_code == 401
    assert LOGINS['exporter'][1] not in refused.text  # confd's own 401 holds it
    exported = http.get(
        f'{api}/export',
        params={'bom': 'true'},
        headers={'X-CSRFToken': csrf},
        timeout=30,
    )
    assert exported.status_code == 200
    assert exported.headers['Users-Csv-Secrets'] == 'omitted'
    assert exported.headers['Content-Disposition'] == 'attachment; filename="users.csv"'
    assert 'Sam' in exported.content.decode('utf-8-sig')


def test_the_job_routes_are_relayed_in_the_working_tenant_only(wazo_ui, confd):
    http, csrf = logged_in(wazo_ui)  # working tenant: master
    api = f'{wazo_ui.url}/users_csv/api'
    page = {'X-CSRFToken': csrf}
    # another tenant's job, made in confd directly
    theirs = confd.post_csv(
        'firstname\nSubby\n',
        tenant=SUB,
        params={'dry_run': 'true'},
        headers={'Prefer': 'respond-async'},
    )
    assert theirs.status_code == 202, theirs.text

    sent = http.post(
        f'{api}/import',
        data=b'firstname,exten,context,line_protocol\nJo,1000,default,sip\n',
        headers={
            'Content-Type': 'text/csv; charset=utf-8',
            'Prefer': 'respond-async',
            **page,
        },
        timeout=30,
    )

    assert sent.status_code == 202, sent.text
    assert sent.headers['Preference-Applied'] == 'respond-async'
    mine = sent.json()['uuid']
    # the Location is the plugin's route, not confd's
    assert sent.headers['Location'] == f'/users_csv/api/import/jobs/{mine}'
    job = sent.json()
    for _ in range(100):
        job = http.get(
            wazo_ui.url + sent.headers['Location'], headers=page, timeout=30
        ).json()
        if job['phase'] in ('done', 'failed', 'cancelled'):
            break
        time.sleep(0.2)
    assert (job['phase'], job['status']) == ('done', 201)
    assert job['result']['created'][0]['row_number'] == 1
    assert [user['firstname'] for user in users(confd, tenant=MASTER)] == ['Jo']
    listed = http.get(f'{api}/import/jobs', headers=page, timeout=30).json()['items']
    assert mine in [item['uuid'] for item in listed]
    assert theirs.json()['uuid'] not in [item['uuid'] for item in listed]
    # another tenant's job is not reachable through the session's tenant
    other = f'{api}/import/jobs/{theirs.json()["uuid"]}'
    assert http.get(other, headers=page, timeout=30).status_code == 404
    assert http.delete(other, headers=page, timeout=30).status_code == 404
    # nor without the page's CSRF value; an ended job is not cancelled (confd's 409)
    assert http.get(f'{api}/import/jobs/{mine}', timeout=30).status_code == 403
    assert (
        http.delete(f'{api}/import/jobs/{mine}', headers=page, timeout=30).status_code
        == 409
    )


def choose(driver, mode, path):
    driver.find_element(By.CSS_SELECTOR, '#menu summary').click()
    visible(driver, f'menu-{mode}').click()
    driver.find_element(By.ID, 'file').send_keys(str(path))


def done(driver):
    result = visible(driver, 'result')
    wait(driver, lambda d: 'Done' in result.text, timeout=60)
    return result.text


def test_the_page_in_wazo_ui_from_login_to_another_tenant(
    wazo_ui, confd, browser, downloads, tmp_path, failure_shot  # noqa: F811
):
    for name in os.listdir(downloads):
        os.remove(os.path.join(downloads, name))
    browser.delete_all_cookies()
    browser.get(f'{wazo_ui.url}/login/')
    visible(browser, 'username').send_keys('admin')
    browser.find_element(By.ID, 'password').send_keys(LOGINS['admin'][0])
    browser.find_element(By.ID, 'submit').click()

    # Telephony > User Management > Users CSV, in wazo-ui's own sidebar
    wait(browser, EC.element_to_be_clickable((By.LINK_TEXT, 'Users CSV'))).click()
    tenant = visible(browser, 'tenant-name')
    wait(browser, lambda d: tenant.text == 'Tenant: master')
    assert browser.find_element(By.CSS_SELECTOR, '.main-sidebar')  # wazo-ui's layout
    assert not browser.find_element(
        By.ID, 'token-panel'
    ).is_displayed()  # no token to paste
    users_range = visible(browser, 'users-range')
    wait(browser, lambda d: users_range.text == 'no users')
    shot(browser, 'wazo-ui-1-page')

    # a file with errors: every error listed
    bad = tmp_path / 'team.csv'
    bad.write_text(
        'firstname,lastname,ring_seconds,exten,context,line_protocol\n'
        'Ann,Ash,30,1000,default,sip\n'
        ',Bay,abc,1001,default,sip\n'
        'Cid,Cole,30,5000,default,sip\n'
    )
    choose(browser, 'import', bad)
    visible(browser, 'errors')
    answer = confd.post_csv(bad.read_text(), path='/users/import?dry_run=true')
    assert table(browser, 'error-table')[1:] == [
        [
            str(error['details']['row_number']),
            str(error['details']['line']),
            error['details']['column'],
            error['message'],
        ]
        for error in answer.json()['errors']
    ]
    assert len(table(browser, 'error-table')) == 1 + 3  # the header and 3 errors
    shot(browser, 'wazo-ui-2-errors')

    # fixed through the whole file, error column and all, then applied
    browser.find_element(By.ID, 'download-all').click()
    rows = list(
        csv.reader(
            io.StringIO(
                downloaded(downloads, 'users-with-errors.csv').decode('utf-8-sig')
            )
        )
    )
    rows[2][0], rows[2][2], rows[3][3] = 'Bea', '15', '1002'
    fixed = tmp_path / 'users-with-errors.csv'
    with open(fixed, 'w', newline='', encoding='utf-8') as stream:
        csv.writer(stream).writerows(rows)
    browser.find_element(By.ID, 'file').send_keys(str(fixed))
    title = visible(browser, 'summary-title')
    wait(browser, lambda d: title.text == '3 users will be created')
    assert browser.find_element(By.ID, 'summary-tenant').text == 'In tenant master'
    assert [row[1] for row in table(browser, 'preview-table')[1:]] == [
        'Ann Ash',
        'Bea Bay',
        'Cid Cole',
    ]
    shot(browser, 'wazo-ui-3-checked')
    browser.find_element(By.ID, 'apply').click()
    assert done(browser) == 'Done: 3 users created.'
    wait(browser, lambda d: users_range.text == '1–3 of 3')
    assert sorted(user['firstname'] for user in users(confd, tenant=MASTER)) == [
        'Ann',
        'Bea',
        'Cid',
    ]
    shot(browser, 'wazo-ui-4-created')

    # export, edit, update from the exported file
    browser.find_element(By.CSS_SELECTOR, '#menu summary').click()
    visible(browser, 'menu-export').click()
    exported = downloaded(downloads, 'users.csv').decode('utf-8-sig')
    edited = tmp_path / 'edited.csv'
    edited.write_text(exported.replace(',Cole,', ',Cole-Smith,'), newline='')
    choose(browser, 'update', edited)
    wait(
        browser,
        lambda d: d.find_element(By.ID, 'summary-title').text
        == '1 user will be updated (1 change), 2 unchanged',
    )
    assert table(browser, 'changes-table')[1:] == [['3', 'Cid Cole-Smith', 'lastname']]
    browser.find_element(By.ID, 'apply').click()
    wait(browser, EC.alert_is_present()).accept()
    assert done(browser) == 'Done: 1 user updated, 2 unchanged.'
    assert [
        user['lastname']
        for user in users(confd, tenant=MASTER)
        if user['firstname'] == 'Cid'
    ] == ['Cole-Smith']

    # wazo-ui's own tenant selector: the page then acts on that tenant
    Select(
        browser.find_element(By.CSS_SELECTOR, '#working-tenant select')
    ).select_by_visible_text('sub')
    tenant = visible(browser, 'tenant-name')
    wait(browser, lambda d: d.find_element(By.ID, 'tenant-name').text == 'Tenant: sub')
    sub = tmp_path / 'sub.csv'
    sub.write_text(
        'firstname,exten,context,line_protocol\nSubby,1000,default-subtenant,sip\n'
    )
    choose(browser, 'import', sub)
    wait(
        browser,
        lambda d: d.find_element(By.ID, 'summary-tenant').text == 'In tenant sub',
    )
    browser.find_element(By.ID, 'apply').click()
    assert done(browser) == 'Done: 1 user created.'
    assert [user['firstname'] for user in users(confd, tenant=SUB)] == ['Subby']
    assert len(users(confd, tenant=MASTER)) == 3
    shot(browser, 'wazo-ui-5-other-tenant')


def test_only_a_connection_never_made_counts_as_nothing_sent():
    """The plugin answers 503 (nothing sent) only when confd was never reached; a connection cut
    or timed out after the file was sent is a lost answer (502/504: the page offers Ask again).
    """
    import socket
    import threading

    from wazo_ui_users_csv.proxy import never_sent

    def failure(url, **kwargs):
        try:
            requests.post(url, data=b'x' * 10, **kwargs)
        except requests.RequestException as exc:
            return exc
        raise AssertionError('no failure')

    closed = socket.socket()
    closed.bind(('127.0.0.1', 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there
    assert never_sent(failure(f'http://127.0.0.1:{port}/', timeout=5))

    listening = socket.socket()
    listening.bind(('127.0.0.1', 0))
    listening.listen(2)
    url = f'http://127.0.0.1:{listening.getsockname()[1]}/'

    def read_then(close):
        connection, _ = listening.accept()
        connection.recv(65536)
        if close:
            connection.close()
        else:
            threading.Event().wait(3)
            connection.close()

    threading.Thread(target=read_then, args=(True,), daemon=True).start()
    assert not never_sent(failure(url, timeout=5))  # cut after the request was sent
    threading.Thread(target=read_then, args=(False,), daemon=True).start()
    timed_out = failure(url, timeout=(5, 0.5))
    assert isinstance(timed_out, requests.Timeout) and not never_sent(timed_out)
    listening.close()


def test_the_page_in_wazo_ui_follows_its_jobs_and_finds_them_after_a_reload(
    wazo_ui, confd, browser, tmp_path, failure_shot  # noqa: F811
):
    browser.delete_all_cookies()
    browser.get(f'{wazo_ui.url}/login/')
    visible(browser, 'username').send_keys('admin')
    browser.find_element(By.ID, 'password').send_keys(LOGINS['admin'][0])
    browser.find_element(By.ID, 'submit').click()
    wait(browser, EC.element_to_be_clickable((By.LINK_TEXT, 'Users CSV'))).click()
    visible(browser, 'users-range')
    browser.execute_script('sessionStorage.clear()')
    path = tmp_path / 'many.csv'
    path.write_text(
        'firstname,lastname\n' + ''.join(f'U{n},Many\n' for n in range(3000))
    )
    watch_phases(browser)

    choose(browser, 'import', path)

    title = visible(browser, 'summary-title', timeout=120)
    wait(browser, lambda d: title.text == '3,000 users will be created', timeout=120)
    assert any(phase for phase, _ in phases_seen(browser)), phases_seen(browser)
    browser.find_element(By.ID, 'apply').click()
    phase_shown(browser, ('queued', 'reading', 'checking', 'writing'))
    shot(browser, 'wazo-ui-6-job')

    browser.refresh()  # wazo-ui's page again: the job of this tenant is found

    assert done(browser) == 'Done: 3,000 users created.'
    jobs = confd.get('/users/import/jobs', tenant=MASTER).json()['items']
    assert [(job['dry_run'], job['phase'], job['status']) for job in jobs[:2]] == [
        (False, 'done', 201),
        (True, 'done', 200),
    ]
    assert len(users(confd, tenant=MASTER)) == 3000
