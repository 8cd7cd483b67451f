import os

from wazo_confd_users_csv.docs import columns_table

README = os.path.join(os.path.dirname(__file__), '..', 'README.md')


def test_readme_column_table_is_generated_from_the_catalogue():
    with open(README, encoding='utf-8') as stream:
        text = stream.read()
    start = text.index('<!-- columns:start -->') + len('<!-- columns:start -->')
    end = text.index('<!-- columns:end -->')
    assert text[start:end].strip() == columns_table(), \
        'regenerate with: python -m wazo_confd_users_csv.docs --update README.md'
