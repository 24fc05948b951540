"""/api/v1/users/ on the kit's test mixins (tests/kit_api.py), as the administrators of the demo zone: the system
administrator lists, creates, changes and resets passwords; the security administrator's actions are theirs."""

from django.test import Client

from kaifaqu.accounts import otp, two_factor
from kaifaqu.accounts.models import User
from kaifaqu.accounts.roles import Role
from tests import kit_api as kit
from tests.factories import UserFactory


def zone_admin(role, username):
    """An administrator placed in the demo zone (a platform administrator would see the other zone too)."""

    def get(world):
        if username not in world.users:
            world.users[username] = UserFactory(username=username, role=role, org=world.committee)
        return world.users[username]

    return get


zone_sys = zone_admin(Role.SYS_ADMIN, "t_zone_sys")
zone_sec = zone_admin(Role.SEC_ADMIN, "t_zone_sec")


def lock(world, user):
    for _ in range(5):
        Client().post("/accounts/login/", {"username": user.username, "password": "Wrong@pass1"})


def enrol(world, user):
    enrolment = two_factor.do_start_enrolment(user)
    two_factor.do_confirm_enrolment(user, otp.totp(enrolment.secret, enrolment.device.created_at.timestamp(),
                                                   algorithm=enrolment.device.algorithm))


class TestUsers(kit.ModelTests, kit.ActionTests):
    url = "/api/v1/users/"
    model = User
    list_queries = 3  # count, page (with the lock and second-factor state as subqueries), extra zones
    update_data = {"name": "李四", "phone": "13800000000"}
    actions = {
        "reset-password": kit.Action({"password": "Temp#2026pw"}),
        "assign-role": kit.Action({"role": "zone_leader", "reason": "调任"}, actor=zone_sec),
        "unlock": kit.Action({"reason": "核实为本人"}, actor=zone_sec, setup=lock),
        "reset-two-factor": kit.Action({"reason": "手机丢失"}, actor=zone_sec, setup=enrol),
    }

    def actor(self, world):
        return zone_sys(world)

    def make(self, world, zone):
        org = world.department if zone == world.zone else world.other_org
        return UserFactory(role=Role.ZONE_STAFF, org=org)

    def create_data(self, world):
        return {"username": "t_kit_new", "password": "Kfq@2026go", "name": "接口新人", "org": world.department.pk,
                "phone": "13900000000"}
