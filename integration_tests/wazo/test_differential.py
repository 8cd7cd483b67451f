# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The same files and requests through confd's built-in import (one child process for the
module, each test on a fresh clone) and through ours (this process, a fresh clone too): what
both accept writes the same rows, REST views, events (names, order, headers and payload
keys) and wazo-auth users, and answers with the built-in's shapes (ours adds keys); the exports
are the built-in's bytes; each imports the other's export without loss; what ours refuses on
purpose is refused with its exact message. Where ours differs on purpose, docs/drop-in.md says
why. See differential.py."""

import csv
import io
import time

import pytest

from wazo_confd_users_csv_testing.standins import MASTER

from .differential import BuiltinConfd, Normaliser, keys, snapshot, views

# Only the built-in's own columns; every group, both SIP kinds, SCCP, a user alone.
FILE = (
    'firstname,lastname,email,language,outgoing_caller_id,mobile_phone_number,userfield,'
    'enabled,supervision_enabled,call_transfer_enabled,dtmf_hangup_enabled,'
    'call_record_outgoing_external_enabled,call_record_incoming_internal_enabled,'
    'online_call_record_enabled,ring_seconds,simultaneous_calls,subscription_type,'
    'call_permission_password,username,password,context,line_protocol,sip_username,'
    'sip_secret,exten,voicemail_name,voicemail_number,voicemail_context,voicemail_password,'
    'voicemail_email,voicemail_attach_audio,voicemail_delete_messages,voicemail_ask_password,'
    'incall_exten,incall_context,incall_ring_seconds,call_permissions\n'
    'Alice,Smith,alice@example.com,en_US,"""Alice"" <1000>",5551234,uf-a,1,1,1,1,1,0,1,25,3,'
    '2,1234,alice,secret12,default,sip,alicesip,alicesecret,1000,Alice VM,1000,default,4321,'
    'alice.vm@example.com,1,0,1,1000,from-extern,25,internal;international\n'
    'Bob,Webrtc,,fr_FR,,,,0,0,0,0,0,0,0,15,5,0,,,,default,webrtc,,,1001,Bob VM,1001,'
    'default,,,0,0,0,1001,from-extern,,internal\n'
    'Carol,Sccp,,,,,,1,1,1,1,0,1,0,,,0,,carol,secret34,default,sccp,,,1002,,,,,,,,,'
    ',,,\n'
    'Dave,Nophone,dave@example.com,,,,,,,,,0,0,,,,0,,,,,,,,,,,,,,,,,,,,\n'
    'Erin,Samevm,,,,,,,,,,0,0,,,,0,,,,default,sip,,,1003,Shared VM,1000,default,,,0,0,0,,,'
    ',\n'
)
# The built-in refuses an empty cell in a boolean column ("Field may not be null"), where
# ours takes the default: this file fills them, so that both accept it.
EVENTS = 46
# What the built-in accepts beyond that: CRLF line ends, lines without an extension (SIP,
# SCCP, WebRTC), a column the format does not have (ignored), cells a spreadsheet would run as
# formulas and a stored value that starts with a quote and one of them, a blank last line.
MORE = (
    'firstname,lastname,mobile_phone_number,userfield,context,line_protocol,sip_username,'
    'exten,department,voicemail_name,voicemail_number,voicemail_context\r\n'
    'Fay,Noext,+33612345678,=1+1,default,sip,faysip,,Sales,,,\r\n'
    'Gus,Sccp,,\'=x,default,sccp,,,Support,,,\r\n'
    'Hal,Webrtc,,-3,default,webrtc,,,,,,\r\n'
    'Ivy,Plain,,@SUM(A1),,,,,Sales,Ivy VM,1010,default\r\n'
    'Jan,"Doe ""JD"" Junior",,,default,sip,,1004,,,,\r\n'
    '\r\n'
)
MORE_EVENTS = 28
CSV_ACCEPT = {
    'Accept': 'text/csv; charset=utf-8'
}  # what wazo-confd-client's export sends


def permissions(client):
    for name in ('internal', 'international'):
        response = client.request(
            'POST', '/callpermissions', tenant=MASTER, json={'name': name}
        )
        assert response.status_code == 201, response.text


@pytest.fixture(scope='module')
def builtin_child(wazo_template):
    child = BuiltinConfd(wazo_template)
    yield child
    child.close()


@pytest.fixture
def builtin(builtin_child):
    return builtin_child.fresh()


def settled(bus, expected=None, quiet=1.0):
    """The bus's messages once `expected` came (if said) and nothing more for `quiet` s."""
    bus.drain(expected=expected, timeout=15)
    while True:
        count = len(bus.messages)
        time.sleep(quiet)
        if len(bus.drain()) == count:
            messages = list(bus.messages)
            bus.messages.clear()
            return messages


def step(client, bus, send, expected=None):
    """(answer, new rows normalised, events, normaliser) of one request."""
    before = snapshot(client)
    answer = send(client)
    events = settled(bus, expected)
    normaliser = Normaliser(before, getattr(send, 'text', ''))
    return answer, normaliser.new_rows(before, snapshot(client)), events, normaliser


def same_events(ours, theirs, our_norm, their_norm):
    assert [h['name'] for h, _ in ours] == [h['name'] for h, _ in theirs]
    for (our_headers, our_body), (their_headers, their_body) in zip(ours, theirs):
        name = our_headers['name']
        assert keys(our_norm, our_headers) == keys(their_norm, their_headers), name
        assert keys(our_norm, our_body) == keys(their_norm, their_body), name


def same_entries(ours, theirs, our_norm, their_norm):
    """Every key of the built-in's entries, with its value (ids, masked uuids); ours adds."""
    assert len(ours) == len(theirs)
    for our_entry, their_entry in zip(ours, theirs):
        assert set(their_entry) <= set(our_entry)
        assert {key: our_norm.view(our_entry[key]) for key in their_entry} == {
            key: their_norm.view(value) for key, value in their_entry.items()
        }
        assert our_entry['sip_id'] is None  # inside confd: sip_uuid is the key


def post(text):
    def send(client):
        return client.post_csv(text, tenant=MASTER)

    send.text = text
    return send


def test_files_both_accept_write_the_same_users_events_and_logins(confd, bus, builtin):
    permissions(builtin)
    permissions(confd)
    settled(builtin.bus, 2)
    settled(bus, 2)

    normalisers = []
    for text, events in ((FILE, EVENTS), (MORE, MORE_EVENTS), ('', 0), ('uuid\r\n', 0)):
        theirs, their_rows, their_events, their_norm = step(
            builtin, builtin.bus, post(text)
        )
        ours, our_rows, our_events, our_norm = step(
            confd, bus, post(text), len(their_events)
        )

        assert (theirs.status_code, ours.status_code) == (201, 201), ours.text
        assert sorted(our_rows) == sorted(their_rows)
        for table in their_rows:
            assert our_rows[table] == their_rows[table], (text[:20], table)
        same_entries(
            ours.json()['created'], theirs.json()['created'], our_norm, their_norm
        )
        same_events(our_events, their_events, our_norm, their_norm)
        assert len(our_events) == events
        normalisers.append((our_norm, their_norm))
        warnings = [warning['code'] for warning in ours.json().get('warnings', [])]
        assert (
            warnings
            == {
                FILE: [],
                MORE: ['ignored_columns'],
                '': ['empty'],
                'uuid\r\n': ['no_rows'],
            }[text]
        )
    # every uuid made since the first step is new; every value drawn since is drawn
    our_norm, their_norm = normalisers[0]
    for ours_then, theirs_then in normalisers:
        our_norm.drawn_values |= ours_then.drawn_values
        their_norm.drawn_values |= theirs_then.drawn_values
    their_views = their_norm.view(views(builtin, MASTER))
    our_views = our_norm.view(views(confd, MASTER))
    assert sorted(our_views) == sorted(their_views)
    for name in their_views:
        for part in their_views[name]:
            assert our_views[name][part] == their_views[name][part], (name, part)
    assert logins(confd.auth.auth_users) == logins(builtin.auth_users())
    assert len(confd.auth.auth_users) == 10  # one per user, login or not
    # a name with a double quote: the line's caller id as confd derives it, which confd
    # reads back (xivo-dao's rule keeps what comes before the quote)
    jan = our_views[('Jan', 'Doe "JD" Junior')]['lines'][0]
    assert (jan['caller_id_name'], jan['caller_id_num']) == ('Jan Doe ', '1004')


def logins(users):
    """The wazo-auth users without their uuids (a username that is the uuid said so)."""
    return sorted(
        (
            {
                key: '<uuid>' if value == user['uuid'] else value
                for key, value in user.items()
                if key != 'uuid'
            }
            for user in users.values()
        ),
        key=lambda user: user['firstname'],
    )


# One fault per row, each one the built-in refuses (and a good row between them).
BAD = (
    'firstname,lastname,email,ring_seconds,supervision_enabled,language,context,line_protocol,'
    'sip_username,exten,voicemail_name,voicemail_number,voicemail_context,voicemail_email,'
    'voicemail_delete_messages,incall_exten,incall_context,call_permissions\n'
    'Good,Row,,,,,default,sip,,1000,,,,,,,,\n'
    'Out,Ofrange,,,,,default,sip,,5000,,,,,,,,\n'
    'No,Context,,,,,nowhere,sip,,1001,,,,,,,,\n'
    'Same,Exten,,,,,default,sip,,1000,,,,,,,,\n'
    'Bad,Email,not-an-email,,,,,,,,,,,,,,,\n'
    'Bad,Permission,,,,,,,,,,,,,,,,nope\n'
    'Vm,Nomail,,,,,,,,,VM,1010,default,,1,,,\n'
    'Bad,Ring,,abc,,,,,,,,,,,,,,\n'
    'Bad,Bool,,,2,,,,,,,,,,,,,\n'
    'Bad,Protocol,,,,,default,iax,,1002,,,,,,,,\n'
    'Bad,Incall,,,,,,,,,,,,,,99,from-extern,\n'
    ',Nofirstname,,,,,,,,,,,,,,,,\n'
    'Same,Sip,,,,,default,sip,alicesip,1003,,,,,,,,\n'
    'Same,Sip2,,,,,default,sip,alicesip,1004,,,,,,,,\n'
)


def test_every_error_the_builtin_reports_ours_reports(confd, builtin):
    permissions(builtin)
    permissions(confd)

    theirs = builtin.post_csv(BAD, tenant=MASTER)
    ours = confd.post_csv(BAD, tenant=MASTER)

    assert (theirs.status_code, ours.status_code) == (400, 400), theirs.text
    their_rows = {error['details']['row_number'] for error in theirs.json()['errors']}
    our_errors = ours.json()['errors']
    our_rows = {error['details']['row_number'] for error in our_errors}
    assert their_rows - our_rows == set(), (theirs.json(), our_errors)
    # every bad row, not the good one; of two rows wanting one SIP name, the second
    assert our_rows == set(range(2, 13)) | {14}
    for error in our_errors:  # and ours say where and what
        assert (
            error['details']['column'] and error['details']['line'] and error['message']
        )
    # the built-in's shape, and more: details keep row and row_number
    for answer in (theirs.json(), ours.json()):
        error = answer['errors'][0]
        assert {'message', 'timestamp', 'details'} <= set(error)
        assert {'row', 'row_number'} <= set(error['details'])
    assert confd.get('/users?recurse=false', tenant=MASTER).json()['total'] == 0


def rows_of(text):
    """The data lines of a CSV export, sorted (the built-in's has no order)."""
    lines = text.split('\r\n')
    assert lines[-1] == ''
    return lines[0], sorted(lines[1:-1])


def as_builtin(text):
    """Our export as the built-in writes it (docs/drop-in.md): without incall_ring_seconds
    (ours adds it, last), a WebRTC line said `sip`, a subscription type 0 said empty."""
    rows = list(csv.reader(io.StringIO(text, newline='')))
    out = io.StringIO()
    writer = csv.writer(out)  # CRLF, as the built-in's export
    assert rows[0][-1] == 'incall_ring_seconds'
    protocol = rows[0].index('line_protocol')
    subscription = rows[0].index('subscription_type')
    for row in rows:
        row = row[:-1]
        if row[protocol] == 'webrtc':
            row[protocol] = 'sip'
        if row[subscription] == '0':
            row[subscription] = ''
        writer.writerow(row)
    return out.getvalue()


def test_exports_are_the_builtins_bytes_and_each_imports_the_others(
    confd, bus, builtin, wazo_template
):
    from .test_client import client

    permissions(builtin)
    for text in (FILE, MORE):
        assert builtin.post_csv(text, tenant=MASTER).status_code == 201
    home = confd.db_name
    for uuid_, user in builtin.auth_users().items():  # ours reads the same wazo-auth
        confd.auth.add_user(uuid_, user['username'])
    confd.use_database(builtin.db_name)
    try:
        # no Accept, a bare text/csv, JSON, HTML: JSON; the client's, */*, text/*: CSV
        for accept in (None, 'text/csv', 'application/json', 'text/html', '*/*'):
            theirs = builtin.get(
                '/users/export', tenant=MASTER, headers={'Accept': accept}
            )
            ours = confd.get('/users/export', tenant=MASTER, headers={'Accept': accept})
            assert ours.status_code == theirs.status_code == 200
            assert (
                ours.headers['Content-Type'] == theirs.headers['Content-Type']
            ), accept
            if theirs.headers['Content-Type'] == 'application/json':
                their_json, our_json = theirs.json(), ours.json()
                assert our_json['headers'] == their_json['headers'] + [
                    'incall_ring_seconds'
                ]
                our_cells = sorted(
                    rows_of(as_builtin(csv_of(our_json)))[1]
                )  # the same cells, as text
                assert our_cells == sorted(rows_of(csv_of(their_json))[1])
            else:
                assert rows_of(as_builtin(ours.text)) == rows_of(theirs.text)
        their_file = client(builtin).users.export_csv(tenant_uuid=MASTER)
        our_file = client(confd).users.export_csv(tenant_uuid=MASTER)
    finally:
        confd.use_database(home)
        confd.auth.reset_users()  # another PBX: its own wazo-auth
    assert rows_of(as_builtin(our_file.decode())) == rows_of(their_file.decode())
    assert b"'=x" in their_file and b',+33612345678,' in their_file

    # the built-in's export imported by ours, exported again: the same file
    permissions(confd)
    answer = client(confd).users.import_csv(their_file, tenant_uuid=MASTER)
    assert [entry['row_number'] for entry in answer.get('created', ())] == list(
        range(1, 11)
    ), answer
    ours_again = client(confd).users.export_csv(tenant_uuid=MASTER)
    assert rows_of(as_builtin(ours_again.decode())) == rows_of(their_file.decode())

    # our export imported by the built-in, exported again: the same file, but for the uuids
    # and provisioning codes, which the built-in's import does not read (it draws new ones)
    builtin.fresh()
    permissions(builtin)
    answer = client(builtin).users.import_csv(ours_again, tenant_uuid=MASTER)
    assert [entry['row_number'] for entry in answer.get('created', ())] == list(
        range(1, 11)
    ), answer
    theirs_again = client(builtin).users.export_csv(tenant_uuid=MASTER)
    assert without_drawn(rows_of(theirs_again.decode())) == without_drawn(
        rows_of(as_builtin(ours_again.decode()))
    )
    # the client's update: the built-in's PUT is disabled (405, a JSON message)
    assert client(builtin, tenant=MASTER).users.update_csv(their_file) == {
        'message': 'The method is not allowed for the requested URL.'
    }
    updated = client(confd, tenant=MASTER).users.update_csv(ours_again)
    assert {entry['outcome'] for entry in updated.get('updated', ())} == {
        'unchanged'
    }, updated


def csv_of(answer):
    """A JSON export as the built-in's CSV would write it."""
    out = io.StringIO()
    writer = csv.DictWriter(out, answer['headers'])
    writer.writeheader()
    writer.writerows(answer['content'])
    return out.getvalue()


def without_drawn(export):
    """An export without the cells the built-in's import draws again."""
    header, rows = export
    names = header.split(',')
    drawn = {names.index('uuid'), names.index('provisioning_code')}
    return header, sorted(
        ','.join('' if n in drawn else cell for n, cell in enumerate(row))
        for row in csv.reader(rows)
    )


def test_what_ours_refuses_on_purpose_it_refuses_with_its_exact_message(confd, builtin):
    alice = (
        'firstname,lastname,context,line_protocol,sip_username,exten\n'
        'Alice,Smith,default,sip,alicesip,1000\n'
    )
    for client in (builtin, confd):
        assert client.post_csv(alice, tenant=MASTER).status_code == 201
    builtin.add_auth_user('00000000-0000-4000-8000-00000000ad01', 'admin')
    confd.auth.add_user('00000000-0000-4000-8000-00000000ad01', 'admin')

    def both(text, dry_run=False):
        path = '/users/import' + ('?dry_run=true' if dry_run else '')
        return (
            builtin.post_csv(text, path='/users/import', tenant=MASTER),
            confd.post_csv(text, path=path, tenant=MASTER),
        )

    # a login wazo-auth has (an administrator's): the built-in finds it when it writes,
    # ours before, in a dry run too
    theirs, ours = both('firstname,lastname,username\nBob,Brown,ADMIN\n')
    dry = confd.post_csv(
        'firstname,lastname,username\nBob,Brown,ADMIN\n',
        path='/users/import?dry_run=true',
        tenant=MASTER,
    )
    assert (theirs.status_code, ours.status_code, dry.status_code) == (400, 400, 400)
    assert ours.json()['errors'][0]['message'] == (
        'line 2 (Bob Brown), username: ADMIN is already the login or email of a wazo-auth '
        'user (an account of no Wazo user of this tenant, such as an administrator): '
        'wazo-auth keeps usernames and emails unique across tenants, whatever their case; '
        'choose another username'
    )
    assert dry.json()['errors'][0]['message'] == ours.json()['errors'][0]['message']
    # a context of another tenant: the built-in says it is not found
    theirs, ours = both(
        'firstname,context,line_protocol,exten\nCid,default-subtenant,sip,1100\n'
    )
    assert (theirs.status_code, ours.status_code) == (400, 400)
    assert ours.json()['errors'][0]['message'].startswith(
        'line 2 (Cid), context: "default-subtenant" is a context of another tenant '
        '(eeeeeeee-eeee-eeee-eeee-eeeeeeeeeee2), not of the tenant this file is imported '
        'into'
    )
    # an export sent back to POST: ours says what it is
    exported = confd.get('/users/export', tenant=MASTER, headers=CSV_ACCEPT).text
    ours = confd.post_csv(exported, tenant=MASTER)
    assert ours.status_code == 400
    assert ours.json()['errors'][0]['message'].startswith(
        'these users already exist (1 of the 1 rows name the uuid of an existing user): '
        'this file looks like an export; to change them send it as an update'
    )
    # the SIP username of an existing endpoint: both refuse (the built-in would re-use an
    # endpoint of no line), ours says whose it is
    theirs, ours = both(
        'firstname,lastname,context,line_protocol,sip_username,exten\n'
        'Dee,Dale,default,sip,alicesip,1001\n'
    )
    assert (theirs.status_code, ours.status_code) == (400, 400)
    assert ours.json()['errors'][0]['message'] == (
        'line 2 (Dee Dale), sip_username: alicesip is already used by an existing SIP '
        'endpoint (the line of Alice Smith (1000)): SIP usernames are unique; give another '
        'one or leave it empty to get one'
    )
    # values too long for Wazo's columns: found with the rest, with the limit
    long = 'x' * 100
    ours = confd.post_csv(
        'firstname,lastname,context,line_protocol,exten,userfield\n'
        f'{long},{long},,,,\n'
        f'Sam,{long},default,sccp,1002,\n'
        f'Uma,Lee,,,,{"u" * 129}\n',
        tenant=MASTER,
    )
    assert ours.status_code == 400
    assert [error['message'] for error in ours.json()['errors']] == [
        f'line 2 ({long[:60]}), lastname: the caller id the names make '
        '("firstname lastname", quoted) is 203 characters long; Wazo keeps up to 160 '
        '(userfeatures.callerid): shorten the names \u2014 1 of 3 errors, also line 3 '
        'lastname, line 4 userfield',
        f'line 3 (Sam {long[:56]}), lastname: an SCCP line shows the user\'s name '
        '("firstname lastname", 104 characters); SCCP keeps up to 80 (sccpline.cid_name): '
        'shorten the names or use a SIP line',
        'line 4 (Uma Lee), userfield: must be at most 128 characters long (got 129 '
        'characters)',
    ]
    assert confd.get('/users?recurse=false', tenant=MASTER).json()['total'] == 1
