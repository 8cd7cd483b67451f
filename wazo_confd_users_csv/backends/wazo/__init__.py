"""The Wazo backend: inside wazo-confd, the users are Wazo's own (xivo-dao's tables).

Imported only inside wazo-confd: it needs xivo-dao, wazo-bus and confd's helpers.
"""
