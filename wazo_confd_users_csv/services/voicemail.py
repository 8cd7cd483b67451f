"""Voicemails: created, or shared when number@context already exists (in base or file)."""
from .. import columns
from ..bus import events
from ..database.dao import voicemail as voicemail_dao
from .context import check_context

FIELDS = {'voicemail_name': 'name', 'voicemail_number': 'number', 'voicemail_context': 'context',
          'voicemail_password': 'password', 'voicemail_email': 'email',
          'voicemail_attach_audio': 'attach_audio',
          'voicemail_delete_messages': 'delete_messages',
          'voicemail_ask_password': 'ask_password'}


class VoicemailValidator:
    def validate(self, row, lookups, claims):
        if row.has_group(columns.VOICEMAIL):
            check_context(row, 'voicemail_context', row.get('voicemail_context'), 'internal',
                          lookups)


class VoicemailNotifier:
    def created(self, voicemail):
        return [events.voicemail('voicemail_created', voicemail)]

    def associated(self, user, voicemail):
        return [events.user_voicemail_associated(user, voicemail['id'])]


class VoicemailService:
    def __init__(self, dao=voicemail_dao, validator=None, notifier=None):
        self.dao = dao
        self.validator = validator or VoicemailValidator()
        self.notifier = notifier or VoicemailNotifier()

    def plan(self, plan, lookups):
        row = plan.row
        shared = lookups.planned_voicemails
        if not row.has_group(columns.VOICEMAIL):
            return
        key = (row.get('voicemail_number'), row.get('voicemail_context'))
        if key in lookups.voicemails:
            plan.voicemail = {'id': lookups.voicemails[key], 'number': key[0], 'context': key[1]}
            plan.reused.append('voicemail')
        elif key in shared:
            plan.voicemail = shared[key]
            plan.reused.append('voicemail')
        else:
            voicemail = {}
            for column, field in FIELDS.items():
                value = row.get(column)
                voicemail[field] = columns.BY_NAME[column].default if value is None else value
            plan.voicemail = shared[key] = voicemail

    def create(self, session, plans):
        with_voicemail = [plan for plan in plans if plan.voicemail is not None]
        self.dao.create_many(session, [plan.voicemail for plan in with_voicemail
                                       if 'voicemail' not in plan.reused])
        self.dao.associate_users(session, [(plan.user['id'], plan.voicemail['id'])
                                           for plan in with_voicemail])

    def events(self, plan):
        if plan.voicemail is None:
            return []
        found = [] if 'voicemail' in plan.reused else self.notifier.created(plan.voicemail)
        return found + self.notifier.associated(plan.user, plan.voicemail)
