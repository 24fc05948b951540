"""Chinese labels of the audit actions accounts writes (core.labels)."""

from kaifaqu.core import labels

labels.register(labels.AUDIT_ACTION, {
    "auth.login": "登录", "auth.logout": "退出登录", "auth.login_failed": "登录失败", "auth.lockout": "账号锁定",
    "auth.otp_failed": "动态口令错误", "auth.otp_enrol": "启用双因素认证", "auth.otp_disable": "停用双因素认证",
    "auth.otp_recovery_used": "使用恢复码", "auth.otp_recovery_regenerate": "重新生成恢复码",
    "auth.sms_code_sent": "发送短信验证码", "auth.token_issue": "签发接口令牌", "auth.token_revoke": "吊销接口令牌",
    "user.create": "新增用户", "user.update": "修改用户", "user.reset_password": "重置密码",
    "user.change_password": "修改密码", "user.assign_role": "分配角色", "user.unlock": "解锁账号",
    "user.reset_two_factor": "重置双因素认证", "security.two_factor_policy": "修改双因素认证策略",
    "role.update": "修改角色权限", "role.seed": "角色加入新模块的默认权限",
})
labels.register(labels.OBJECT_TYPE, {"accounts.twofactorpolicy": "双因素认证策略", "accounts.roledefinition": "角色权限"})
labels.register(labels.AUDIT_ACTION_GROUP, {"auth.": "登录与认证", "user.": "用户管理", "security.": "安全策略",
                                            "role.": "角色权限"})
