# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The page inside the real wazo-confd: served under confd's /1.1, a Wazo token (checked by
the wazo-auth stand-in), and a tenant selector for a token that may act on several."""

import os

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from wazo_confd_users_csv_testing.standins import MASTER, SUB

from ..test_web import (  # noqa: F401
    browser,
    choose,
    downloaded,
    downloads,
    log_in,
    table,
    visible,
    wait,
)
from .test_import import users


def open_page(driver, confd):
    driver.get(confd.url + '/users/csv/')
    driver.execute_script('sessionStorage.clear()')
    driver.get(confd.url + '/users/csv/')


def test_the_page_imports_into_the_tenant_chosen(
    browser, confd, tmp_path  # noqa: F811
):
    open_page(browser, confd)
    log_in(browser, token='admin-token')

    select = visible(browser, 'tenant')
    wait(browser, lambda d: len(select.find_elements(By.TAG_NAME, 'option')) == 2)
    assert [option.text for option in select.find_elements(By.TAG_NAME, 'option')] == [
        'master',
        'sub',
    ]
    Select(select).select_by_visible_text('sub')
    path = tmp_path / 'sub.csv'
    path.write_text(
        'firstname,exten,context,line_protocol\nSubby,1000,default-subtenant,sip\n'
    )
    choose(browser, 'import', path)
    visible(browser, 'summary')
    browser.find_element(By.ID, 'apply').click()
    result = visible(browser, 'result')
    wait(browser, lambda d: 'Done' in result.text)

    assert [user['firstname'] for user in users(confd, tenant=SUB)] == ['Subby']
    assert users(confd, tenant=MASTER) == []
    # the check and the Apply were jobs of that tenant (the page followed them there)
    jobs = confd.get('/users/import/jobs', tenant=SUB).json()['items']
    assert [(job['dry_run'], job['status']) for job in jobs[:2]] == [
        (False, 201),
        (True, 200),
    ]
    assert confd.get('/users/import/jobs', tenant=MASTER).json()['items'] == []
    # the list shows the users it made, in that tenant, with their SIP account
    users_range = visible(browser, 'users-range')
    wait(browser, lambda d: users_range.text == '1–1 of 1')
    row = table(browser, 'users-table')[1]
    assert row[0] == 'Subby' and row[3] == '1000@default-subtenant' and row[4] == 'sip'
    assert row[5]  # the generated SIP username


def test_a_token_of_one_tenant_sees_no_selector(browser, confd):  # noqa: F811
    open_page(browser, confd)
    log_in(browser, token='sub-token')

    visible(browser, 'actions')
    wait(browser, lambda d: d.find_element(By.ID, 'users-range').text)
    assert not browser.find_element(By.ID, 'tenant-bar').is_displayed()


def test_a_refused_token_is_never_shown_and_warnings_are(
    browser, confd, tmp_path  # noqa: F811
):
    open_page(browser, confd)
    log_in(browser, token='wrong-token-0f3c9a')  # confd's 401 answer holds the token

    status = visible(browser, 'status')
    wait(browser, lambda d: 'token was refused' in status.text)
    assert 'wrong-token-0f3c9a' not in browser.find_element(By.TAG_NAME, 'body').text

    log_in(browser, token='admin-token')
    path = tmp_path / 'old.csv'
    path.write_text('entity_id,cti_profile_name,firstname\n1,Client,Ola\n')
    choose(browser, 'import', path)
    visible(browser, 'summary')
    warnings = [
        li.text for li in browser.find_elements(By.CSS_SELECTOR, '#warning-list li')
    ]
    assert [w.split(' ')[0] for w in warnings] == ['entity_id', 'cti_profile_name']
    browser.find_element(By.ID, 'apply').click()
    wait(browser, lambda d: 'Done' in d.find_element(By.ID, 'result').text)
    assert (
        visible(browser, 'warnings').text.count('\n') == 2
    )  # the title and two warnings


def test_a_token_without_the_secrets_right_is_told_they_are_left_out(
    browser, confd, downloads  # noqa: F811
):
    assert (
        confd.post_csv(
            'firstname,exten,context,line_protocol,sip_secret\n'
            'Sam,1000,default,sip,s3cret-Sam\n',
            tenant=MASTER,
        ).status_code
        == 201
    )
    for name in os.listdir(downloads):
        os.remove(os.path.join(downloads, name))
    open_page(browser, confd)
    log_in(browser, token='no-secrets-token')

    note = visible(browser, 'secrets-note')
    assert 'left out' in note.text and 'confd.users.export.secrets.read' in note.text
    assert not browser.find_element(By.ID, 'show-secrets').is_enabled()

    browser.find_element(By.CSS_SELECTOR, '#menu summary').click()
    visible(browser, 'menu-export').click()
    exported = downloaded(downloads, 'users.csv').decode('utf-8-sig')
    assert 'Sam' in exported and 's3cret-Sam' not in exported
    status = browser.find_element(By.ID, 'status')
    wait(browser, lambda d: 'left out' in status.text)
