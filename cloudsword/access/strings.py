"""Access's strings: sign-in, roles, refusals and the audit log (merged into i18n by name)."""

STRINGS: dict[str, dict[str, str]] = {
    "access.unknown_table": {
        "zh": "无法确认您的角色可否查看数据表“{table}”，因此不予提供。",
        "en": "Table '{table}' is not covered by the access rules, so it is not given out.",
    },
    "access.roles_missing": {
        "zh": "找不到角色文件 {file}：没有任何用户被赋予角色。",
        "en": "The roles file {file} is missing: no user has a role.",
    },
    "access.roles_invalid": {
        "zh": "角色文件 {file} 无法读取：{detail}",
        "en": "The roles file {file} cannot be read: {detail}",
    },
    "access.roles_role": {
        "zh": "角色文件 {file} 中用户 {user} 的角色“{role}”无效"
        "（应为 admin、officer、analyst 或 presenter）。",
        "en": "In the roles file {file}, user {user} has role '{role}' "
        "(expected admin, officer, analyst or presenter).",
    },
    "access.roles_province": {
        "zh": "角色文件 {file} 中用户 {user} 的省份代码 {province} 不存在。",
        "en": "In the roles file {file}, user {user} has province code {province}, which does not exist.",
    },
    "access.roles_no_province": {
        "zh": "角色文件 {file} 中省级民警 {user} 未指定省份。",
        "en": "In the roles file {file}, provincial officer {user} has no province.",
    },
    "access.unknown_user": {
        "zh": "您已登录为 {user}，但角色文件中没有您的角色。请联系联盟管理员。",
        "en": "You are signed in as {user}, but the roles file gives you no "
        "role. Please ask the alliance administrator.",
    },
    "access.sign_in.title": {"zh": "请登录", "en": "Please sign in"},
    "access.sign_in.body": {
        "zh": "云剑联盟看板含有涉案人员信息，须经单位身份认证登录后使用。",
        "en": "The Cloud Sword dashboard holds suspects' personal data: "
        "sign in with your organisation's account.",
    },
    "access.sign_in.button": {"zh": "通过单位身份认证登录", "en": "Sign in with your organisation"},
    "access.sign_out": {"zh": "退出登录", "en": "Sign out"},
    "access.proxy_untrusted": {
        "zh": "该请求未经可信的单点登录代理转发，无法确认身份。",
        "en": "This request did not come through the trusted single "
        "sign-on proxy, so who you are is unknown.",
    },
    "access.signed_in": {"zh": "{name}（{role}）", "en": "{name} · {role}"},
    "access.provinces": {"zh": "辖区：{provinces}", "en": "Provinces: {provinces}"},
    "access.role.admin": {"zh": "联盟管理员", "en": "Alliance administrator"},
    "access.role.officer": {"zh": "省级民警", "en": "Provincial officer"},
    "access.role.analyst": {"zh": "分析员", "en": "Analyst"},
    "access.role.presenter": {"zh": "汇报人", "en": "Presenter"},
    "access.demo": {
        "zh": "演示模式：未开启登录，以联盟管理员身份查看全部数据。",
        "en": "Demo mode: sign-in is off, you see everything as the alliance administrator.",
    },
    "access.masked_note": {
        "zh": "您的角色看不到个人信息：姓名、证件号、账户已脱敏，位置精确到城市。",
        "en": "Your role does not see personal data: names, ids and "
        "accounts are masked, places shown by city.",
    },
    "access.officer_note": {
        "zh": "您可查看本辖区及与之相连的团伙网络的明细记录；其他省份仅显示汇总数据。",
        "en": "You see the records of your provinces and of the networks that "
        "touch them; other provinces only as totals.",
    },
    "access.no_records": {
        "zh": "您的角色不能下载明细记录文件（节点、关系、GraphML、线索包）。",
        "en": "Your role does not take record-level files away (nodes, links, GraphML, clue packages).",
    },
    "access.admin_only": {
        "zh": "此部分仅限联盟管理员。",
        "en": "This part is for the alliance administrator only.",
    },
    "access.deck_not_yours": {
        "zh": "此演示文稿不属于您，作者也未与您共享。",
        "en": "This deck is not yours and its author has not shared it with you.",
    },
    "access.share.header": {"zh": "共享此演示文稿", "en": "Share this deck"},
    "access.share.note": {
        "zh": "演示文稿只属于作者；共享后，对方可通过链接打开（每人只看到其角色允许的数据）。",
        "en": "A deck belongs to its author; once shared, others can open its link "
        "(each sees only what their role allows).",
    },
    "access.share.users": {
        "zh": "共享给（电子邮箱，逗号分隔）",
        "en": "Share with (e-mail addresses, comma-separated)",
    },
    "access.share.everyone": {"zh": "共享给所有已登录用户", "en": "Share with everyone signed in"},
    "access.share.button": {"zh": "保存共享设置", "en": "Save sharing"},
    "access.share.done": {"zh": "共享设置已保存。", "en": "Sharing saved."},
    "audit.header": {"zh": "审计日志", "en": "Audit log"},
    "audit.caption": {
        "zh": "登录、导入、版本切换、导出与角色变更，逐条以哈希链接，任何改动都会被发现。",
        "en": "Sign-ins, imports, version switches, exports and role changes, each entry "
        "chained to the previous by a hash, so any change is detected.",
    },
    "audit.ok": {
        "zh": "审计链完整：{n} 条记录全部校验通过。",
        "en": "The audit chain is intact: all {n} entries verify.",
    },
    "audit.broken": {
        "zh": "审计链已被破坏：第 {seq} 条记录校验失败（{reason}）。该条及之后的记录不可信。",
        "en": "The audit chain is broken at entry {seq} ({reason}). That "
        "entry and those after it cannot be trusted.",
    },
    "audit.reason.hash": {"zh": "内容被改动", "en": "its content was changed"},
    "audit.reason.chain": {"zh": "与前一条不衔接", "en": "it does not follow the entry before"},
    "audit.reason.sequence": {"zh": "序号不连续", "en": "the numbering has a gap"},
    "audit.reason.unreadable": {"zh": "无法读取", "en": "it cannot be read"},
    "audit.reason.head": {"zh": "末尾记录被删除或替换", "en": "entries were cut off the end or replaced"},
    "audit.empty": {"zh": "暂无审计记录。", "en": "No audit entries yet."},
    "audit.col.seq": {"zh": "序号", "en": "No."},
    "audit.col.at": {"zh": "时间（UTC）", "en": "When (UTC)"},
    "audit.col.who": {"zh": "用户", "en": "Who"},
    "audit.col.role": {"zh": "角色", "en": "Role"},
    "audit.col.action": {"zh": "操作", "en": "Action"},
    "audit.col.origin": {"zh": "来源地址", "en": "From"},
    "audit.col.detail": {"zh": "详情", "en": "Details"},
    "audit.col.hash": {"zh": "哈希", "en": "Hash"},
    "audit.action.sign_in": {"zh": "登录", "en": "Sign-in"},
    "audit.action.sign_out": {"zh": "退出", "en": "Sign-out"},
    "audit.action.import": {"zh": "导入", "en": "Import"},
    "audit.action.version_switch": {"zh": "切换版本", "en": "Version switch"},
    "audit.action.export": {"zh": "导出", "en": "Export"},
    "audit.action.role_change": {"zh": "角色变更", "en": "Role change"},
    "audit.action.denied": {"zh": "拒绝访问", "en": "Access denied"},
}
