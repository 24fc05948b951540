"""The demo catalogue: the service centre's 12 windows (seed 004) and the items of the four stages of a
construction project (国办发〔2019〕11号) plus ordinary enterprise services. Material names are typical of the
published 办事指南 of Zhejiang's zones; limits are the common promised/legal working days."""

# number, name, duties
WINDOWS = [
    (1, "行政审批综合服务窗口", "县行政审批局职能延伸，综合受理各类审批事项，“项目审批不出经开区”"),
    (2, "投资项目窗口", "企业投资项目备案、核准，节能审查"),
    (3, "自然资源窗口", "用地预审、选址、用地与工程规划许可、规划核实、不动产登记"),
    (4, "住房城乡建设窗口", "施工图审查、施工许可、质量安全监督、竣工验收备案"),
    (5, "生态环境窗口", "环境影响评价、排污许可"),
    (6, "消防与人防窗口", "消防设计审查与验收、人防工程审查"),
    (7, "市场监管窗口", "企业登记、食品经营许可、特种设备"),
    (8, "税务窗口", "税务信息确认、发票领用"),
    (9, "人社窗口", "社保登记、人力资源服务许可、农民工工资专户"),
    (10, "金融窗口", "融资对接、过桥资金咨询"),
    (11, "政策咨询窗口", "惠企政策咨询与兑现受理"),
    (12, "帮办代办窗口", "企业带办中心“一对一”领办代办，多评合一、多审合一统一受理"),
]

# stage -> [(code, name, department code, window number, promised, legal, fee, commitment, handling)]
ITEMS = {
    "land": [
        ("L01", "企业投资项目备案", "fgj", 2, 1, 5, "0", False, "delegated"),
        ("L02", "企业投资项目核准", "fgj", 2, 10, 20, "0", False, "entrusted"),
        ("L03", "固定资产投资项目节能审查", "fgj", 2, 7, 20, "0", True, "delegated"),
        ("L04", "建设项目用地预审与选址意见书核发", "zrzy", 3, 10, 20, "0", False, "entrusted"),
        ("L05", "建设用地规划许可证核发", "zrzy", 3, 5, 20, "0", False, "delegated"),
        ("L06", "国有建设用地使用权出让合同签订", "zrzy", 3, 3, 10, "0", False, "own"),
        ("L07", "建设项目环境影响评价文件审批", "sthj", 5, 10, 60, "0", True, "delegated"),
        ("L08", "生产建设项目水土保持方案审批", "guihua", 1, 5, 20, "0", True, "delegated"),
        ("L09", "洪水影响评价审批", "guihua", 1, 10, 20, "0", False, "entrusted"),
        ("L10", "地质灾害危险性评估结果备案", "zrzy", 3, 3, 20, "0", False, "own"),
        ("L11", "压覆重要矿产资源审批", "zrzy", 3, 10, 20, "0", False, "entrusted"),
        ("L12", "建设项目文物保护影响评估审查", "jianshe", 1, 10, 20, "0", False, "entrusted"),
        ("L13", "社会稳定风险评估备案", "jingji", 1, 5, 15, "0", False, "own"),
        ("L14", "安全预评价报告备案", "yjj", 1, 5, 20, "0", True, "delegated"),
        ("L15", "区域评估成果应用确认", "jianshe", 12, 1, 5, "0", False, "own"),
        ("L16", "多评合一联合评审", "jianshe", 12, 10, 30, "0", False, "own"),
    ],
    "permit": [
        ("P01", "建设工程规划许可证核发", "zrzy", 3, 5, 20, "0", False, "delegated"),
        ("P02", "建设工程设计方案审查", "zrzy", 3, 5, 20, "0", False, "delegated"),
        ("P03", "人民防空工程设计审查", "jianshe", 6, 5, 20, "0", False, "delegated"),
        ("P04", "建设工程消防设计审查", "zjj", 6, 10, 15, "0", False, "delegated"),
        ("P05", "施工图设计文件审查备案", "zjj", 4, 5, 20, "0", True, "delegated"),
        ("P06", "城市道路占用、挖掘许可", "jianshe", 4, 5, 20, "0", False, "own"),
        ("P07", "临时建设工程规划许可", "zrzy", 3, 5, 20, "0", False, "delegated"),
        ("P08", "建设项目配套绿地方案审查", "jianshe", 4, 5, 20, "0", False, "own"),
        ("P09", "供水、供电、燃气接入方案联合审查", "jianshe", 12, 3, 10, "0", False, "own"),
        ("P10", "城镇污水排入排水管网许可（设计阶段）", "jianshe", 4, 5, 20, "0", True, "delegated"),
        ("P11", "超限高层建筑工程抗震设防审批", "zjj", 4, 10, 20, "0", False, "entrusted"),
        ("P12", "防雷装置设计审核", "yjj", 1, 5, 20, "0", False, "entrusted"),
        ("P13", "多审合一联合审查（规划、人防、消防、施工图）", "jianshe", 12, 10, 30, "0", False, "own"),
    ],
    "construction": [
        ("C01", "建筑工程施工许可证核发", "zjj", 4, 3, 7, "0", True, "delegated"),
        ("C02", "工程质量安全监督登记", "zjj", 4, 2, 5, "0", False, "delegated"),
        ("C03", "建设工程招标投标情况书面报告备案", "jianshe", 4, 2, 15, "0", False, "own"),
        ("C04", "夜间施工许可", "jianshe", 4, 2, 5, "0", False, "own"),
        ("C05", "建筑垃圾处置核准", "jianshe", 4, 3, 20, "0", True, "delegated"),
        ("C06", "临时占用城市绿地审批", "jianshe", 4, 5, 20, "0", False, "own"),
        ("C07", "商品房预售许可", "zjj", 4, 5, 10, "0", False, "entrusted"),
        ("C08", "工程款支付担保备案", "jianshe", 4, 2, 5, "0", False, "own"),
        ("C09", "农民工工资专用账户备案", "rsj", 9, 2, 5, "0", False, "delegated"),
        ("C10", "危险性较大的分部分项工程备案", "zjj", 4, 2, 5, "0", False, "delegated"),
        ("C11", "建设工程临时用电用水接入", "jianshe", 12, 3, 10, "0", False, "own"),
        ("C12", "特种设备安装告知", "scjg", 7, 1, 5, "0", False, "delegated"),
    ],
    "acceptance": [
        ("A01", "建设工程竣工联合验收", "jianshe", 12, 7, 20, "0", False, "own"),
        ("A02", "建设工程消防验收", "zjj", 6, 10, 15, "0", False, "delegated"),
        ("A03", "建设工程规划条件核实", "zrzy", 3, 5, 15, "0", False, "delegated"),
        ("A04", "人民防空工程竣工验收备案", "jianshe", 6, 3, 15, "0", False, "delegated"),
        ("A05", "房屋建筑和市政基础设施工程竣工验收备案", "zjj", 4, 3, 15, "0", False, "delegated"),
        ("A06", "建设工程档案验收", "jianshe", 4, 3, 10, "0", False, "own"),
        ("A07", "不动产首次登记", "zrzy", 3, 5, 30, "80", False, "entrusted"),
        ("A08", "建设项目环境保护设施竣工验收备案", "huanbaofj", 5, 3, 10, "0", False, "delegated"),
        ("A09", "防雷装置竣工验收", "yjj", 1, 5, 10, "0", False, "entrusted"),
        ("A10", "排污许可证核发", "sthj", 5, 10, 20, "0", True, "delegated"),
        ("A11", "城镇污水排入排水管网许可", "jianshe", 4, 5, 20, "0", True, "delegated"),
        ("A12", "特种设备使用登记", "scjg", 7, 3, 15, "0", False, "delegated"),
    ],
    "general": [
        ("G01", "企业设立登记", "scjgs", 7, 1, 3, "0", False, "delegated"),
        ("G02", "食品经营许可", "scjgs", 7, 5, 20, "0", True, "delegated"),
        ("G03", "税务信息确认与发票领用", "shuiwu", 8, 1, 5, "0", False, "own"),
        ("G04", "单位参保登记", "rsj", 9, 1, 5, "0", False, "delegated"),
        ("G05", "人力资源服务许可", "rsj", 9, 10, 20, "0", True, "delegated"),
        ("G06", "道路货物运输经营许可", "jingji", 1, 5, 20, "0", True, "entrusted"),
        ("G07", "危险化学品经营许可", "yjj", 1, 10, 30, "0", False, "entrusted"),
        ("G08", "公章刻制备案", "paichusuo", 1, 1, 3, "0", False, "own"),
        ("G09", "惠企政策兑现申请", "qiyefuwu", 11, 10, 20, "0", False, "own"),
        ("G10", "过桥资金申请", "caizheng", 10, 5, 10, "0", False, "own"),
        ("G11", "外商投资企业信息报告", "swuj", 1, 1, 5, "0", False, "entrusted"),
        ("G12", "高新技术企业认定推荐", "kjj", 11, 10, 30, "0", False, "entrusted"),
    ],
}

COMMON = [
    ("申请表（加盖单位公章）", "original", 1, False, "在线填报后打印盖章"),
    ("营业执照", "copy", 1, False, "加盖公章"),
    ("法定代表人身份证明及授权委托书", "original", 1, False, "委托办理时提交"),
]

# Item-specific materials; the second of each pair may follow later under 容缺受理 for the items listed in FOLLOW.
SPECIFIC = {
    "land": [("项目可行性研究报告或项目申请报告", "original", 1), ("用地红线图", "original", 2)],
    "permit": [("建设工程设计方案（总平面图、建筑单体）", "original", 2), ("国有建设用地使用权出让合同", "copy", 1)],
    "construction": [("施工合同及中标通知书", "copy", 1), ("施工图设计文件审查合格书", "copy", 1)],
    "acceptance": [("竣工验收报告", "original", 1), ("建设工程档案移交证明", "copy", 1)],
    "general": [("经营场所使用证明", "copy", 1), ("相关资质或从业人员证明", "copy", 1)],
}
