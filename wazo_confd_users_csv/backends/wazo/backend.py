# Copyright 2026 The wazo-confd-users-csv Authors
# SPDX-License-Identifier: GPL-3.0-or-later

"""The Wazo backend: one job = one transaction of xivo-dao's session, committed here so that
the wazo-auth users, the events and the reloads follow the commit. The events are written to
the outbox in that transaction and relayed once it is committed."""

import logging
import os
import string

import flask
import sqlalchemy as sa
from xivo_dao import tenant_dao
from xivo_dao.alchemy.endpoint_sip import EndpointSIP
from xivo_dao.alchemy.sccpline import SCCPLine
from xivo_dao.helpers.db_manager import Session

from ... import columns
from ...errors import described
from ...generated import fill_unique, provisioning_code, sip_secret, sip_username
from ...imports.database_errors import database_error
from ...imports.ports import Notice
from ...imports.progress import Progress
from ...imports.request_keys import KeyStore
from ...imports.request_keys import table as request_keys_table
from . import current as wazo_current
from . import events as wazo_events
from . import export as wazo_export
from . import lookups as wazo_lookups
from .auth_users import AuthUsers, LoginEdit, taken_logins
from .jobs import flush_reloads
from .journal import CREATE, EDIT, Journal, new_job
from .outbox import GENERATION_LOCK, engine_of_confd
from .services import build_wazo_services
from .update import WazoUpdater, added_parts
from .writer import WazoWriter

logger = logging.getLogger(__name__)

SIP = EndpointSIP.__table__
REQUEST_KEYS = request_keys_table('users_csv_wazo_request_keys', sa.MetaData())
SCCP = SCCPLine.__table__


def _taken_sip_names(session, names):
    return wazo_lookups.owners(session, SIP.c.name, SIP.c.uuid, names)


def _taken_sccp_names(session, names):
    return wazo_lookups.owners(session, SCCP.c.name, SCCP.c.id, names)


def sip_templates(tenant):
    """The SIP templates confd made for the tenant (when wazo-auth announced it)."""
    found = set()
    if tenant.global_sip_template_uuid is not None:
        found.add('global')
    if tenant.webrtc_sip_template_uuid is not None:
        found.add('webrtc')
    return found


def _sccp_name():
    alphabet = string.ascii_lowercase + string.digits
    return ''.join(alphabet[byte % len(alphabet)] for byte in os.urandom(8))


LOGINS_EVERY = 0.5  # seconds between two counts of wazo-auth's logins made


class WazoJob:
    def __init__(self, backend, scope, dry_run, progress):
        self.backend = backend
        self.progress = progress
        self.scope = scope
        self.dry_run = dry_run
        self.session = Session()
        self.tenant = tenant_dao.find_or_create_tenant(scope.tenant_uuid)
        self.pending = []  # wazo-auth calls made while the rows are written
        self.logins = {}  # on update: the tenant's wazo-auth users by uuid
        self.everyone = None  # every wazo-auth user, read once
        self.voicemail_moves = []
        self.journal_job = None  # its number in the wazo-auth journal, once it records
        self.new_passwords = (
            []
        )  # on update: the edits that set one, after everything else

    def lookups(
        self, rows, extra_contexts=(), extra_extensions=(), extra_voicemails=()
    ):
        found = wazo_lookups.fetch(
            self.session,
            rows,
            self.scope.tenant_uuid,
            extra_contexts,
            extra_extensions,
            extra_voicemails,
        )
        found.sip_templates = sip_templates(self.tenant)
        # wazo-auth's logins (usernames and emails, every tenant's) are checked with the
        # rest, before anything is written, in one call (a page of users a call)
        if rows:
            found.taken_logins = taken_logins(self._everyone())
            wazo_lookups.name_logins(self.session, rows, found)
        return found

    def _everyone(self):
        """Every wazo-auth user, read once a job: the update's logins and the checks'."""
        if self.everyone is None:
            # a job that did not commit and could not undo its wazo-auth changes is undone
            # first: this job then reads wazo-auth as it was before it
            self.backend.journal.reconcile_quietly()
            self.everyone = self.backend.auth_users.everyone()
        return self.everyone

    def _take_generation_turn(self):
        """Waits until no other job of this plugin draws generated values, and holds that
        turn until this transaction ends. A draw is checked against committed lines only,
        and Wazo's provisioning codes have no unique constraint: two jobs in flight could
        commit the same code (seen: 239 codes for 240 lines of 8 concurrent files)."""
        self.session.execute(
            sa.text('SELECT pg_advisory_xact_lock(:key)'), {'key': GENERATION_LOCK}
        )

    def current(self, rows):
        tenant = str(self.tenant.uuid)
        self.logins = {
            user['uuid']: user
            for user in self._everyone()
            if str(user.get('tenant_uuid') or tenant) == tenant
        }
        return wazo_current.fetch(self.session, rows, self.tenant.uuid, self.logins)

    def generate(self, plans, claims):
        # on update, only what the update adds gets generated values
        plans = [
            added_parts(plan) if plan.state is not None else plan for plan in plans
        ]
        lines = [plan.line for plan in plans if plan.line is not None]
        sips = [plan.sip for plan in plans if plan.sip is not None]
        sccps = [plan.sccp for plan in plans if plan.sccp is not None]
        drawn = (
            sccps
            or any(line['provisioning_code'] is None for line in lines)
            or any(sip['username'] is None for sip in sips)
        )
        if drawn and not self.dry_run:  # a dry run's draws are never committed
            self._take_generation_turn()
        generated = fill_unique(
            self.session,
            [line for line in lines if line['provisioning_code'] is None],
            'provisioning_code',
            provisioning_code,
            claims.taken('provisioning_code'),
            wazo_lookups.find_provisioning_codes,
        )
        generated |= fill_unique(
            self.session,
            [sip for sip in sips if sip['username'] is None],
            'username',
            sip_username,
            claims.taken('sip_username'),
            _taken_sip_names,
        )
        generated |= fill_unique(
            self.session, sccps, 'name', _sccp_name, set(), _taken_sccp_names
        )
        for plan in plans:
            if plan.sip is not None:
                if plan.sip['secret'] is None:
                    plan.sip['secret'] = sip_secret()
                plan.line['name'] = plan.sip['username']
            elif plan.sccp is not None:
                plan.line['name'] = plan.sccp['name']
        return generated

    def write(self, plans):
        if not self.dry_run:
            # By default every user gets its wazo-auth user, login or not, as confd's own
            # import does (username: the username, else the email, else the uuid).
            self._start_creations(
                [
                    (plan.row, self._auth_body(plan))
                    for plan in needing_auth_users(
                        plans, self.backend.every_user_logs_in
                    )
                ]
            )
        WazoWriter(self.session.connection(), self.tenant).write(plans)
        return (
            event
            for plan in plans
            for event in wazo_events.created(plan, self.tenant.uuid)
        )

    def write_updates(self, plans):
        views = [added_parts(plan) for plan in plans]
        if not self.dry_run:
            self._start_login_changes(plans)
        WazoUpdater(self.session.connection(), self.tenant).write(plans, views)
        voicemail_users = wazo_current.voicemail_users(
            self.session,
            [
                plan.state.voicemail['id']
                for plan in plans
                if plan.state.voicemail is not None
                and plan.voicemail != plan.state.voicemail
            ],
        )
        seen: set[tuple[str, int]] = set()
        self.voicemail_moves = voicemail_moves(plans)
        return (
            event
            for plan in plans
            for event in wazo_events.updated(
                plan, self.tenant.uuid, seen, voicemail_users
            )
        )

    def _start_login_changes(self, plans):
        """wazo-auth: a user without a login that the row gives one gets it; the others'
        logins follow the row (username, names, email, enabled, password)."""
        new, edits = [], []
        for plan in plans:
            login = plan.state.login
            if login is None:
                if any(
                    plan.row.get(name) is not None
                    for name in ('username', 'password', 'cti_profile_enabled')
                ):
                    new.append((plan.row, self._auth_body(plan)))
                continue
            edit = login_edit(plan)
            if edit is not None:
                edits.append(edit)
        self._start_creations(new)
        self._record(
            EDIT,
            [
                entry
                for entry in (edit.entry() for edit in edits)
                if entry['before'] is not None or entry['emails_before'] is not None
            ],  # a password alone has nothing to put back
        )
        self.pending.append(self.backend.auth_users.start_edits(edits))
        self.new_passwords = edits

    def _start_creations(self, bodies):
        """The uuids are ours, chosen before the calls: the journal holds them first, so
        that a user whose answer was lost is deleted too. A uuid wazo-auth already had (a
        file may name one) is never recorded nor deleted."""
        known = {str(user['uuid']) for user in self.everyone or ()}
        self._record(
            CREATE,
            [
                {'uuid': str(body['uuid']), 'username': body['username']}
                for _, body in bodies
                if str(body['uuid']) not in known
            ],
        )
        self.pending.append(self.backend.auth_users.start(bodies, keep=known))

    def _record(self, action, entries):
        """Committed before wazo-auth is called; the job's transaction holds its lock."""
        if not entries:
            return
        if self.journal_job is None:
            self.journal_job = new_job()
            self.backend.journal.hold(self.session, self.journal_job)
        self.backend.journal.record(self.journal_job, self.tenant.uuid, action, entries)

    def claim(self, request_key):
        self.backend.ensure_schema(self.session)
        self.backend.keys.claim(self.session, request_key)

    def remember(self, request_key, body, status):
        self.backend.keys.answer(self.session, request_key, body, status)

    def finish(self, events, seal):
        reloads = wazo_events.Reloads()
        count = self.backend.outbox.add(self.session, reloads.noted(events))
        self._wait_for_logins()  # raises when wazo-auth failed or refused a login
        # last, as nothing else can fail but the commit: a password cannot be put back
        self.backend.auth_users.set_passwords(self.new_passwords)
        seal(count)  # succeeded: its answer is remembered with its writes
        if self.journal_job is not None:  # the commit keeps the wazo-auth changes
            Journal.forget(self.session, self.journal_job)
        self.session.commit()
        self.pending = []  # committed: they stay
        self.backend.reload(reloads.commands, self.voicemail_moves)
        if count >= ANALYZE_AFTER_EVENTS:
            self.backend.analyze_later = True

    def _wait_for_logins(self):
        """Waits for wazo-auth (raises when it failed or refused a login), counting."""
        total = sum(pending.total for pending in self.pending)
        if total:
            self.progress.phase('logins')
        for pending in self.pending:
            while not pending.wait(LOGINS_EVERY):
                done = sum(len(each.done) for each in self.pending)
                self.progress.count(logins=done, logins_total=total)
        if total:
            self.progress.count(logins=total, logins_total=total)
        for pending in self.pending:
            pending.result()

    def _auth_body(self, plan):
        row = plan.row
        enabled = row.get('cti_profile_enabled')
        return {
            'uuid': plan.user['uuid'],
            'firstname': plan.user['firstname'],
            'lastname': plan.user['lastname'],
            'email_address': plan.user['email'],
            'username': row.get('username') or plan.user['email'] or plan.user['uuid'],
            'password': row.get('password'),
            'enabled': True if enabled is None else enabled,
            'tenant_uuid': self.tenant.uuid,
        }

    def abort(self):
        # undone while the job's transaction still holds its journal lock: the relay
        # leaves the job alone until then
        undone = all([pending.cancel() for pending in self.pending])
        self.pending = []
        if self.journal_job is not None and undone:
            try:
                self.backend.journal.forget_now(self.journal_job)
            except Exception as exc:  # kept: the relay undoes them again, harmlessly
                logger.warning('wazo-auth journal: %s', described(exc))
        try:
            self.session.rollback()
        except Exception:
            logger.debug('rollback failed', exc_info=True)

    def close(self):
        pass  # confd's after_request removes the session


def login_edit(plan):
    """The LoginEdit of an updated user with a wazo-auth user, or None when it is unchanged."""
    user, login = plan.user, plan.state.login
    before = {
        'username': login.get('username'),
        'firstname': login.get('firstname'),
        'lastname': login.get('lastname'),
        'purpose': login.get('purpose', 'user'),
        'enabled': login.get('enabled', True),
    }
    after = dict(before, username=user['username'], enabled=user['cti_profile_enabled'])
    current = plan.state.user
    for name in ('firstname', 'lastname'):
        if user[name] != current[name]:
            after[name] = user[name]
    emails = emails_before = None
    if (user['email'] or '').lower() != (current['email'] or '').lower():
        emails_before = login.get('emails') or []
        emails = (
            [{'address': user['email'], 'main': True, 'confirmed': True}]
            if user['email']
            else []
        )
    if after == before and emails is None and user['password'] is None:
        return None
    return LoginEdit(
        plan.row, user['uuid'], after, before, emails, emails_before, user['password']
    )


def voicemail_moves(plans):
    """(old number, old context, number, context) of the voicemails whose mailbox moves:
    sysconfd moves their messages, as for confd's voicemail PUT."""
    moves = {}
    for plan in plans:
        current = plan.state.voicemail
        if current is None or plan.voicemail is None:
            continue
        old = (current['number'], current['context'])
        new = (plan.voicemail['number'], plan.voicemail['context'])
        if old != new:
            moves[current['id']] = old + new
    return list(moves.values())


# users_csv.auth_users: which imported users get a wazo-auth user. `all` (the default) as
# confd's built-in import; `logins` only rows with username, password or email.
AUTH_USER_MODES = ('all', 'logins')


def needing_auth_users(plans, every_user):
    """The plans whose user gets a wazo-auth user: all, or those with a login column filled."""
    return [
        plan
        for plan in plans
        if every_user
        or any(
            plan.row.get(name) is not None for name in ('username', 'password', 'email')
        )
    ]


# A file this big changes the tables' sizes enough for PostgreSQL's statistics to mislead the
# next queries (confd's and the export's) until autovacuum catches up: refresh them at once.
ANALYZE_AFTER_EVENTS = 5000
ANALYZED = (
    'userfeatures',
    'voicemail',
    'linefeatures',
    'endpoint_sip',
    'endpoint_sip_section',
    'endpoint_sip_section_option',
    'endpoint_sip_template',
    'sccpline',
    'extensions',
    'user_line',
    'line_extension',
    'incall',
    'dialaction',
    'rightcallmember',
    'func_key_template',
)


def analyze(engine):
    try:
        with engine.connect() as connection:
            connection.execution_options(isolation_level='AUTOCOMMIT').exec_driver_sql(
                f'ANALYZE {", ".join(ANALYZED)}'
            )
    except Exception as exc:  # only statistics: autovacuum will refresh them anyway
        logger.warning('ANALYZE after a large import failed: %s', exc)


class WazoBackend:
    name = columns.WAZO
    sip_uuids = True  # confd's SIP endpoints are known by uuid

    def __init__(self, config, plugin_settings, outbox, reload):
        self.catalogue = columns.CATALOGUES[columns.WAZO]
        self.services = build_wazo_services()
        self.auth_users = AuthUsers(
            config.get('auth') or {}, plugin_settings.get('auth_workers')
        )
        mode = plugin_settings['auth_users']
        if mode not in AUTH_USER_MODES:
            raise ValueError(
                f'users_csv.auth_users: {mode!r} is not one of {AUTH_USER_MODES}'
            )
        self.every_user_logs_in = mode == 'all'
        self.outbox = outbox
        self.journal = Journal(outbox.store, self.auth_users, engine_of_confd)
        outbox.chores.append(self.journal.reconcile_quietly)  # at start-up, every pass
        self.keys = KeyStore(REQUEST_KEYS)
        self.reload = reload  # Asterisk reload commands -> confd's sysconfd publisher
        self.analyze_later = False

    def job(self, scope, dry_run=False, progress=None):
        return WazoJob(self, scope, dry_run, progress or Progress())

    def ensure_schema(self, session):
        """The plugin's own tables in Wazo's database (the outbox's migrations make them)."""
        self.outbox.store.ensure_schema(session.get_bind())

    def replay(self, request_key):
        session = Session()  # the request's: the job goes on with it
        self.ensure_schema(session)
        return self.keys.find(session, request_key)

    def check_file(self, header, rows, scope):
        notices = []
        if 'entity_id' in header:
            notices += self._check_entities(rows, scope)
        if 'cti_profile_name' in header:
            notices.append(
                Notice(
                    'cti_profile_ignored',
                    'cti_profile_name is ignored: Wazo has no CTI profiles '
                    'since 2019; the login is the wazo-auth user (username, password)',
                    'cti_profile_name',
                )
            )
        return notices

    @staticmethod
    def _check_entities(rows, scope):
        """Tenants replaced entities: one entity per file, read as the request's tenant."""
        first = None
        for row in rows:
            value = row.get('entity_id')
            if value is None:
                continue
            if first is None:
                first = (value, row.row_number)
            elif value != first[0]:
                row.error(
                    'entity_mismatch',
                    f'row {first[1]} names entity {first[0]}: a file '
                    'goes to one tenant (Wazo-Tenant or the token\'s): split the file per '
                    'entity and send each part with its tenant',
                    'entity_id',
                )
        if first is None:
            return []
        return [
            Notice(
                'entity_as_tenant',
                f'entity_id {first[0]} was read as the tenant of the '
                f'request ({scope.tenant_uuid}): Wazo has tenants instead of entities',
                'entity_id',
            )
        ]

    def database_error(self, exc, generated=()):
        return database_error(exc, generated)

    def after_commit(self):
        """Relays the events once the response is sent: after confd's after_request hooks,
        so the reloads go first, as confd's own requests do them."""
        if flask.has_request_context():

            @flask.after_this_request
            def relay_when_sent(response):
                response.call_on_close(self._after_response)
                return response

        else:  # a job's thread: no request, no after_request
            flush_reloads(logger)
            self._after_response()

    def export(self, request):
        return wazo_export.export(engine_of_confd(), self.auth_users, request)

    def _after_response(self):
        self.outbox.notify()
        if self.analyze_later:
            self.analyze_later = False
            analyze(engine_of_confd())
