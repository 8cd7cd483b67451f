"""The row checks inside wazo-confd: the shared validators and planners, with what differs.

* entity_id: tenants replaced entities; the tenant comes from the request (checked per file);
* the client account is the wazo-auth user: username unique in the file (wazo-auth judges the
  rest), username and password needed when cti_profile_enabled is 1; no CTI profile;
* lines may be webrtc (a SIP endpoint with the tenant's webrtc template).
"""
from ...services import Services, build_services
from ...services.user import UserService, UserValidator


class WazoUserValidator(UserValidator):
    @staticmethod
    def _check_entity(row, lookups):
        pass  # one tenant per request: see WazoBackend.check_file


class AuthUserValidator:
    REQUIRED = ('username', 'password')

    def validate(self, row, lookups, claims):
        if row.get('cti_profile_enabled'):
            for name in self.REQUIRED:
                if not row.filled(name):
                    row.error('required', 'required when cti_profile_enabled is 1: the '
                              'wazo-auth user needs a username and a password to log in', name)
        username = row.get('username')
        if username is not None:
            row.check_unique('username', username.lower(), {}, claims, '',
                             'usernames are unique', shown=username)

    def validate_update(self, row, state, lookups, claims):
        self.validate(row, lookups, claims)


class AuthUserService:
    """The wazo-auth user of a row: made by the backend after the checks (see auth_users)."""

    def __init__(self):
        self.validator = AuthUserValidator()

    def plan(self, plan, lookups):
        pass

    def plan_update(self, plan, lookups):
        pass


def build_wazo_services():
    services = build_services()
    return Services(
        user=UserService(validator=WazoUserValidator()),
        cti_profile=AuthUserService(),
        extension=services.extension,
        line=services.line,
        incall=services.incall,
        voicemail=services.voicemail,
        call_permission=services.call_permission,
    )

