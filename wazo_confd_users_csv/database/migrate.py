"""Creates or upgrades the schema with Alembic, in the plugin's own version table."""
import os

from alembic import command
from alembic.config import Config

MIGRATIONS = os.path.join(os.path.dirname(__file__), 'migrations')


def upgrade(engine, revision='head'):
    config = Config()
    config.set_main_option('script_location', MIGRATIONS)
    with engine.begin() as connection:
        config.attributes['connection'] = connection
        command.upgrade(config, revision)
