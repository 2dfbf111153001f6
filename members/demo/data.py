"""The demo's names and figures: Pinghu's towns, fictional grassroots units,
typical societies, partners from the Yangtze River Delta and contest projects.
Descriptions are written for the demo."""

from datetime import date

from members.models import Branch, ContestProject, Partner

DEMO_MANAGER_EMAIL = "manager@demo.kexie"

# Local work brands of the town branches, as a word for their descriptions.
TOWN_BRANDS = {
    "当湖街道": "科普E",
    "钟埭街道": "科普荟",
    "新埭镇": "百科荟",
    "广陈镇": "田园科智慧",
}

VILLAGES = {
    "当湖街道": [("东湖社区科协", Branch.Kind.COMMUNITY), ("南市社区科协", Branch.Kind.COMMUNITY)],
    "钟埭街道": [("沈家弄村科协", Branch.Kind.VILLAGE), ("钟埭社区科协", Branch.Kind.COMMUNITY)],
    "曹桥街道": [("马厩村科协", Branch.Kind.VILLAGE)],
    "乍浦镇": [("海塘社区科协", Branch.Kind.COMMUNITY), ("汤山村科协", Branch.Kind.VILLAGE)],
    "新埭镇": [("鱼圻塘村科协", Branch.Kind.VILLAGE), ("星光村科协", Branch.Kind.VILLAGE)],
    "新仓镇": [("杉青港村科协", Branch.Kind.VILLAGE), ("新仓社区科协", Branch.Kind.COMMUNITY)],
    "黄姑镇": [("虹霓村科协", Branch.Kind.VILLAGE)],
    "独山港镇": [("赵家桥村科协", Branch.Kind.VILLAGE), ("全塘社区科协", Branch.Kind.COMMUNITY)],
    "广陈镇": [("山塘村科协", Branch.Kind.VILLAGE), ("龙萌村科协", Branch.Kind.VILLAGE)],
    "林埭镇": [("徐家埭村科协", Branch.Kind.VILLAGE)],
}

# Fictional enterprises, schools and hospitals under the town branches.
UNITS = [
    ("嘉平精密机械有限公司科协", Branch.Kind.ENTERPRISE, "钟埭街道", "精密零部件制造"),
    ("星海光电科技有限公司科协", Branch.Kind.ENTERPRISE, "当湖街道", "光电器件研发"),
    ("湾北新材料有限公司科协", Branch.Kind.ENTERPRISE, "独山港镇", "高分子新材料"),
    ("乍港智慧物流有限公司科协", Branch.Kind.ENTERPRISE, "乍浦镇", "港口物流与仓储"),
    ("绿穗农业科技发展有限公司科协", Branch.Kind.ENTERPRISE, "新仓镇", "设施农业与育种"),
    ("平川汽车零部件有限公司科协", Branch.Kind.ENTERPRISE, "曹桥街道", "汽车零部件"),
    ("东湾电子有限公司科协", Branch.Kind.ENTERPRISE, "新埭镇", "电子元件"),
    ("黄姑实验学校科协", Branch.Kind.SCHOOL, "黄姑镇", ""),
    ("平湖中学科协", Branch.Kind.SCHOOL, "当湖街道", ""),
    ("独山港镇中心学校科协", Branch.Kind.SCHOOL, "独山港镇", ""),
    ("平湖市第一人民医院科协", Branch.Kind.HOSPITAL, "当湖街道", ""),
    ("平湖市中医院科协", Branch.Kind.HOSPITAL, "钟埭街道", ""),
]

SOCIETIES = [
    ("平湖市机械工程学会", "机械工程", 1986, 260),
    ("平湖市医学会", "医学", 1979, 820),
    ("平湖市农学会", "农学", 1981, 310),
    ("平湖市护理学会", "护理", 1990, 540),
    ("平湖市药学会", "药学", 1992, 180),
    ("平湖市中医药学会", "中医药", 1988, 150),
    ("平湖市电子信息学会", "电子信息", 2003, 140),
    ("平湖市计算机学会", "计算机", 2001, 120),
    ("平湖市法学会", "法学", 1994, 230),
    ("平湖市安全生产学会", "安全工程", 2008, 110),
    ("平湖市园林绿化学会", "园林", 2005, 90),
    ("平湖市环境科学学会", "环境科学", 2002, 95),
    ("平湖市水利学会", "水利", 1984, 130),
    ("平湖市气象学会", "气象", 1985, 60),
    ("平湖市教育学会", "教育", 1983, 640),
    ("平湖市青少年科技教育协会", "科技教育", 1998, 210),
    ("平湖市科普作家协会", "科普创作", 2010, 45),
    ("平湖市老科技工作者协会", "综合", 1995, 380),
    ("平湖市建筑学会", "建筑", 1991, 160),
    ("平湖市食品科学技术学会", "食品科学", 2006, 85),
]

SURNAMES = "王李张陈沈徐朱钱金陆顾吴周胡蒋孙冯汤俞马褚杨姚翁曹潘范施邹"
GIVEN = [
    "建华", "志明", "丽华", "国强", "晓燕", "伟东", "海燕", "秋月", "文杰", "春红",
    "卫国", "雪梅", "立新", "玉芳", "振宇", "敏", "静", "磊", "婷婷", "浩然",
    "佳琪", "子涵", "永康", "美琴", "世杰", "红英", "明辉", "小平", "宏伟", "桂芳",
]  # fmt: skip
TITLES = ["高级工程师", "工程师", "主任医师", "副主任医师", "高级农艺师", "农艺师", "中学高级教师",
          "副教授", "高级经济师", "律师", "主管护师", "研究员"]  # fmt: skip

PROJECT_BASES = [
    ("平湖市机械工程学会", ContestProject.Domain.DIGITAL, "中小企业数字化诊断服务",
     "为规上制造企业上门梳理生产数据，给出分步改造建议。"),
    ("平湖市电子信息学会", ContestProject.Domain.DIGITAL, "工业互联网应用推广",
     "组织专家帮助企业接入工业互联网平台，推广设备联网和远程运维。"),
    ("平湖市计算机学会", ContestProject.Domain.DIGITAL, "老年人智能手机课堂",
     "在社区开设手机使用小课堂，教老人挂号、支付和防诈骗。"),
    ("平湖市园林绿化学会", ContestProject.Domain.BEAUTY, "美丽庭院植物配置指导",
     "为村庄庭院改造提供花木选择和养护指导。"),
    ("平湖市环境科学学会", ContestProject.Domain.BEAUTY, "河道水质科普监测",
     "带领中小学生定点检测河道水质，普及治水知识。"),
    ("平湖市水利学会", ContestProject.Domain.BEAUTY, "农村池塘生态修复示范",
     "选取村级池塘开展清淤和水生植物修复试点。"),
    ("平湖市建筑学会", ContestProject.Domain.BEAUTY, "农房风貌设计下乡",
     "为农户翻建住房提供免费的风貌设计图样。"),
    ("平湖市安全生产学会", ContestProject.Domain.SAFETY, "小微企业安全隐患排查",
     "组织注册安全工程师对小微企业开展隐患排查和整改回访。"),
    ("平湖市气象学会", ContestProject.Domain.SAFETY, "台风暴雨防御科普进村",
     "在汛期前走进沿海村社讲解防台防汛常识。"),
    ("平湖市食品科学技术学会", ContestProject.Domain.SAFETY, "校园食堂食品安全守护",
     "对学校食堂开展食品安全指导和从业人员培训。"),
    ("平湖市医学会", ContestProject.Domain.HEALTH, "慢病健康管理进社区",
     "医生定期进社区为高血压、糖尿病患者随访和讲座。"),
    ("平湖市护理学会", ContestProject.Domain.HEALTH, "居家护理技能培训",
     "为失能老人家属讲授翻身、喂食等居家护理技能。"),
    ("平湖市药学会", ContestProject.Domain.HEALTH, "家庭药箱清理行动",
     "上门帮助居民清理过期药品，讲解安全用药。"),
    ("平湖市中医药学会", ContestProject.Domain.HEALTH, "中医药养生知识巡讲",
     "在镇街道巡回讲解节气养生和常见病中医调理。"),
    ("平湖市法学会", ContestProject.Domain.LEGAL, "企业合规法律体检",
     "律师和法律工作者为中小企业开展合同与用工合规体检。"),
    ("平湖市老科技工作者协会", ContestProject.Domain.LEGAL, "知识产权保护服务",
     "帮助科技型企业梳理专利布局，辅导申报知识产权。"),
    ("平湖市农学会", ContestProject.Domain.AGRICULTURE, "西瓜绿色高效栽培推广",
     "在种植大户中示范推广新品种和绿色防控技术。"),
    ("平湖市青少年科技教育协会", ContestProject.Domain.AGRICULTURE, "小小农科实验田",
     "在学校开辟实验田，让学生参与育苗和观察记录。"),
    ("平湖市教育学会", ContestProject.Domain.DIGITAL, "乡村学校科学课程共享",
     "把城区学校的优质科学课程通过直播送到乡村学校。"),
    ("平湖市科普作家协会", ContestProject.Domain.HEALTH, "科普短视频创作营",
     "培训科技工作者把专业知识做成通俗易懂的短视频。"),
]  # fmt: skip

CONTEST_YEARS = [2020, 2021, 2022]
YEAR_SUFFIX = {2020: "", 2021: "（二期）", 2022: "（提质版）"}


PARTNERS = [
    ("上海市机械工程学会", Partner.Kind.SOCIETY, Partner.Region.SHANGHAI, date(2019, 4, 1),
     "上海的机械工程学术团体，牵头成立企业数字化转型科技服务团，与本市合作推进制造业数字化。"),
    ("上海市金山区科协", Partner.Kind.ASSOCIATION, Partner.Region.SHANGHAI, date(2020, 5, 1),
     "毗邻的金山区科协，与本市定期互访，毗邻镇科协一道开展科技助农。"),
    ("昆山市科协", Partner.Kind.ASSOCIATION, Partner.Region.JIANGSU, date(2021, 3, 1),
     "江苏昆山的科协，共建青少年STEAM创新教育联盟。"),
    ("上海市科学普及志愿者协会", Partner.Kind.SOCIETY, Partner.Region.SHANGHAI, date(2020, 9, 1),
     "上海的科普志愿者组织，与本市共享讲师和科普活动资源。"),
    ("上海交通大学", Partner.Kind.UNIVERSITY, Partner.Region.SHANGHAI, date(2021, 1, 1),
     "高校合作单位，派出专家参与企业技术对接和学术交流。"),
    ("苏州大学", Partner.Kind.UNIVERSITY, Partner.Region.JIANGSU, date(2021, 1, 1),
     "高校合作单位，在医学和材料领域与本市学会开展交流。"),
    ("上海长三角（院士）产业赋能研究院", Partner.Kind.PLATFORM, Partner.Region.SHANGHAI, None,
     "创新平台，对接院士专家资源，服务本市主导产业。"),
]  # fmt: skip
