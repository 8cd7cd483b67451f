"""Writes every planned resource in bulk, one resource type at a time, in one transaction."""


def write(session, plans, services):
    services.user.create(session, plans)
    services.extension.create(session, new_extensions(plans))
    services.line.create(session, plans)
    services.incall.create(session, plans)
    services.voicemail.create(session, plans)
    services.call_permission.create(session, plans)


def new_extensions(plans):
    """Extensions to insert: planned ones without an id (reused and edited ones have one)."""
    found = []
    for plan in plans:
        if plan.extension is not None and 'id' not in plan.extension:
            found.append(plan.extension)
        found += [planned.extension for planned in plan.incalls if 'id' not in planned.extension]
    return found
