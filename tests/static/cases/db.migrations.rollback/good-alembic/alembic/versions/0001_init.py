import sqlalchemy as sa
from alembic import op

def upgrade():
    op.create_table('todos', sa.Column('id', sa.Integer, primary_key=True))

def downgrade():
    op.drop_table('todos')
