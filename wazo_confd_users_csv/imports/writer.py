"""Writes every planned resource in bulk, one resource type at a time, in one transaction."""


def write(session, plans, services):
    services.user.create(session, plans)
    services.extension.create(session, new_extensions(plans))
    services.line.create(session, plans)
    services.incall.create(session, plans)
    services.voicemail.create(session, plans)
    services.call_permission.create(session, plans)


def new_extensions(plans):
    found = []
    for plan in plans:
        if plan.extension is not None and 'extension' not in plan.reused:
            found.append(plan.extension)
        found += [planned.extension for planned in plan.incalls if not planned.reused]
    return found
