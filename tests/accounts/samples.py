"""Sample rows of the accounts module for the scoping walk (see tests/samples.py): the world's own users."""

from kaifaqu.accounts.models import User
from tests.samples import sample


@sample(User)
def users(world):
    return [world.clerk, world.leader, world.street, world.outsider]
