# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The page inside the real wazo-confd: served under confd's /1.1, a Wazo token (checked by
the wazo-auth stand-in), and a tenant selector for a token that may act on several."""

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from ..test_web import (  # noqa: F401
    browser,
    choose,
    downloads,
    log_in,
    table,
    visible,
    wait,
)
from .standins import MASTER, SUB
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
