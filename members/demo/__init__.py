"""Demo data of the members app: Pinghu's towns and streets, its societies and
grassroots branches, people in office (the three heads of every town branch
but one), honours, Yangtze River Delta partners and three years of the
service-project contest. Re-runnable: what exists is left alone."""

from datetime import date
from decimal import Decimal

from kexie.platform.accounts.models import User
from members import services
from members.demo.data import DATA, DEMO_MANAGER_EMAIL
from members.models import (
    Agreement,
    Branch,
    ContestProject,
    Honor,
    JointActivity,
    OrgManager,
    Partner,
    Person,
    Position,
    Society,
)
from members.reference import ensure_towns

__all__ = ["DEMO_MANAGER_EMAIL", "seed"]


def seed(*, stdout) -> None:
    towns = ensure_towns()
    town_branches = _town_branches(towns)
    branches = _grassroots(towns, town_branches)
    societies = _societies()
    people = _people(branches, town_branches)
    _positions(people, societies, town_branches, branches)
    _honors(people, branches, societies)
    _partners(town_branches)
    _contest(societies, town_branches)
    manager = _manager(town_branches["新埭镇"])
    stdout.write(
        f"  members: {Society.objects.count()} societies, {Branch.objects.count()} branches, "
        f"{Person.objects.count()} people, {ContestProject.objects.count()} contest projects"
    )
    from kexie.management.commands.seed_demo import DEMO_PASSWORD

    stdout.write(
        f"  Organisation manager of {town_branches['新埭镇'].name}: "
        f"{manager.email} / {DEMO_PASSWORD}"
    )


def _branch(name, **fields) -> Branch:
    return Branch.objects.filter(name=name).first() or services.branch_create(name=name, **fields)


def _town_branches(towns) -> dict[str, Branch]:
    result = {}
    for index, (name, town) in enumerate(towns.items()):
        brand = DATA["town_brands"].get(name)
        description = (
            f"{name}科协联系辖区内的村社区、企业和学校科协，组织科技工作者服务基层，"
            "负责本镇街道的科普e站和群众性科普活动。"
        )
        if brand:
            description += f"近年打造了“{brand}”基层科普工作品牌。"
        result[name] = _branch(
            f"{name}科协",
            kind=Branch.Kind.TOWN,
            town=town,
            founded=date(2004 + index % 6, 3 + index % 8, 10),
            description=description,
            contact_name="办公室",
            address=f"平湖市{name}",
        )
    return result


def _grassroots(towns, town_branches) -> dict[str, Branch]:
    result = {}
    for town_name, rows in DATA["villages"].items():
        for row in rows:
            name = f"{town_name}{row['name']}"
            result[name] = _branch(
                name,
                kind=row["kind"],
                town=towns[town_name],
                parent=town_branches[town_name],
                description="依托村社区科普e站开展农技指导、健康讲座和青少年科普活动。",
            )
    for unit in DATA["units"]:
        name, kind, town_name = unit["name"], unit["kind"], unit["town"]
        if kind == Branch.Kind.ENTERPRISE:
            description = f"企业科协，主业为{unit['trade']}，组织技术人员开展攻关、培训和技术交流。"
        elif kind == Branch.Kind.SCHOOL:
            description = "学校科协，负责科技社团、科学课程和青少年科技竞赛的组织。"
        else:
            description = "医院科协，组织医务人员开展学术交流和健康科普。"
        result[name] = _branch(
            name,
            kind=kind,
            town=towns[town_name],
            parent=town_branches[town_name],
            description=description,
        )
    return result


def _societies() -> dict[str, Society]:
    result = {}
    for row in DATA["societies"]:
        name, discipline = row["name"], row["discipline"]
        result[name] = Society.objects.filter(name=name).first() or services.society_create(
            name=name,
            discipline=discipline,
            founded=date(row["founded"], 6, 1),
            member_count=row["members"],
            description=(
                f"由本市{discipline}领域的科技工作者组成的学术性社会团体，"
                "开展学术交流、继续教育、科普宣传和决策咨询，参加市科协的凝智助力比拼赛。"
            ),
            contact_name="秘书处",
        )
    return result


def _phone(n: int) -> str:
    # 1390573xxxx: a fixed, fictional block of numbers for the demo.
    return f"1390573{n:04d}"


def _person(n: int, name: str, **fields) -> Person:
    phone = _phone(n)
    return Person.objects.filter(phone=phone).first() or services.person_create(
        name=name, phone=phone, email=f"person{n}@demo.kexie", **fields
    )


def _name(n: int) -> str:
    surnames, given = DATA["surnames"], DATA["given_names"]
    return surnames[n % len(surnames)] + given[(n * 7) % len(given)]


def _people(branches, town_branches) -> dict[str, Person]:
    people = {
        "姚爱英": _person(
            1,
            "姚爱英",
            gender=Person.Gender.FEMALE,
            birth_year=1950,
            title="中学高级教师",
            employer="独山港镇中心学校",
            discipline="航天科普教育",
            branch=town_branches["独山港镇"],
            biography="长期在乡镇学校带领学生开展航天科普，被称为民间航天教育的带头人。",
        ),
        "翁秀忠": _person(
            2, "翁秀忠", gender=Person.Gender.MALE, title="科协工作者", employer="平湖市科协"
        ),
        "冯高喜": _person(
            3, "冯高喜", gender=Person.Gender.MALE, title="科协工作者", employer="平湖市科协"
        ),
        "汤伟": _person(
            4,
            "汤伟",
            gender=Person.Gender.MALE,
            title="高级工程师",
            employer="嘉平精密机械有限公司",
            discipline="机械设计",
            branch=branches["嘉平精密机械有限公司科协"],
        ),
    }
    for n in range(10, 130):
        people[f"p{n}"] = _person(
            n,
            _name(n),
            gender=Person.Gender.MALE if n % 3 else Person.Gender.FEMALE,
            birth_year=1960 + n % 35,
            title=DATA["titles"][n % len(DATA["titles"])],
            employer="",
            branch=None,
        )
    return people


def _position(person, role, start, **org) -> None:
    exists = Position.objects.filter(person=person, role=role, start=start, **org).exists()
    if not exists:
        services.position_create(person=person, role=role, start=start, **org)


def _positions(people, societies, town_branches, branches) -> None:
    n = 10
    term = date(2021, 6, 1)
    for society in societies.values():
        _position(people[f"p{n}"], Position.Role.PRESIDENT, term, society=society)
        _position(people[f"p{n + 1}"], Position.Role.VICE_PRESIDENT, term, society=society)
        _position(people[f"p{n + 2}"], Position.Role.SECRETARY_GENERAL, term, society=society)
        n += 3
    # An earlier president whose term has ended, for the history of the office.
    if not Position.objects.filter(person=people["p100"], start=date(2016, 6, 1)).exists():
        services.position_create(
            person=people["p100"],
            role=Position.Role.PRESIDENT,
            start=date(2016, 6, 1),
            end=date(2021, 5, 31),
            society=societies["平湖市机械工程学会"],
        )

    heads = [
        (Position.Role.HOSPITAL_HEAD, "卫生院", "主任医师"),
        (Position.Role.SCHOOL_HEAD, "中心学校", "中学高级教师"),
        (Position.Role.AGRI_STATION_HEAD, "农业技术推广站", "高级农艺师"),
    ]
    phone = 200
    for town_name, branch in town_branches.items():
        chair = _person(phone, _name(phone), title="高级经济师", branch=branch)
        _position(chair, Position.Role.CHAIR, date(2021, 9, 1), branch=branch)
        phone += 1
        for role, unit, title in heads:
            # One town has not yet filled its agricultural station seat.
            if town_name == "林埭镇" and role == Position.Role.AGRI_STATION_HEAD:
                continue
            head = _person(
                phone, _name(phone), title=title, employer=f"{town_name}{unit}", branch=branch
            )
            _position(head, role, date(2021, 9, 1), branch=branch)
            phone += 1
    _position(
        people["姚爱英"],
        Position.Role.VICE_PRESIDENT,
        date(2021, 6, 1),
        society=societies["平湖市青少年科技教育协会"],
    )
    _position(
        people["汤伟"],
        Position.Role.SECRETARY_GENERAL,
        date(2020, 1, 1),
        branch=branches["嘉平精密机械有限公司科协"],
    )
    _position(
        people["p120"],
        Position.Role.CHAIR,
        date(2020, 1, 1),
        branch=branches["嘉平精密机械有限公司科协"],
    )


def _honor(name, level, year, **recipient) -> None:
    if not Honor.objects.filter(name=name, year=year, **recipient).exists():
        services.honor_create(name=name, level=level, year=year, **recipient)


def _honors(people, branches, societies) -> None:
    national, provincial, prefecture, county = Honor.LEVEL_ORDER
    _honor("全国科普工作先进工作者", national, 2022, person=people["姚爱英"])
    _honor("全国科协系统先进工作者", national, 2021, person=people["翁秀忠"])
    _honor("省科协系统成绩突出个人", provincial, 2021, person=people["冯高喜"])
    _honor("嘉兴市最美科技工作者", prefecture, 2022, person=people["汤伟"])
    _honor("百佳企业科协", provincial, 2022, branch=branches["嘉平精密机械有限公司科协"])
    _honor("百佳企业科协工作者", provincial, 2022, person=people["汤伟"])
    _honor("百佳企业科技工作者", provincial, 2022, person=people["p120"])
    _honor("浙江省首批院士科普基地", provincial, 2022, branch=branches["黄姑实验学校科协"])
    for index, society in enumerate(list(societies.values())[:6]):
        _honor("平湖市先进学会", county, 2020 + index % 3, society=society)
    for n in range(30, 42):
        _honor(
            "平湖市优秀科技工作者",
            county if n % 4 else prefecture,
            2019 + n % 4,
            person=people[f"p{n}"],
        )


def _partners(town_branches) -> None:
    partners = {}
    for row in DATA["partners"]:
        name = row["name"]
        partners[name] = Partner.objects.filter(name=name).first() or services.partner_create(
            name=name,
            kind=row["kind"],
            region=row["region"],
            since=date.fromisoformat(row["since"]) if row["since"] else None,
            description=row["description"],
        )

    def agreement(partner, title, signed, content, branches=(), end=None):
        found = Agreement.objects.filter(partner=partners[partner], title=title).first()
        return found or services.agreement_create(
            partner=partners[partner],
            title=title,
            signed=signed,
            start=signed,
            end=end,
            content=content,
            branches=branches,
        )

    smes = agreement(
        "上海市机械工程学会",
        "科技服务合作协议",
        date(2019, 4, 18),
        "双方在学术交流、企业技术诊断和人才培训方面合作，共建学会服务站。",
        end=date(2024, 4, 17),
    )
    jinshan = agreement(
        "上海市金山区科协",
        "科协工作合作框架协议",
        date(2020, 5, 20),
        "建立定期交流机制；毗邻镇科协围绕乡村振兴和农民增收联合开展科技助农。",
        branches=[town_branches["新仓镇"], town_branches["新埭镇"]],
    )
    steam_js = agreement(
        "上海市金山区科协",
        "STEAM创新教育联盟协议",
        date(2021, 3, 26),
        "三地科协共建青少年STEAM创新教育联盟，互派教师、共享课程。",
    )
    agreement(
        "昆山市科协",
        "STEAM创新教育联盟协议",
        date(2021, 3, 26),
        "三地科协共建青少年STEAM创新教育联盟，互派教师、共享课程。",
    )

    def activity(partner, title, day, summary, agreement=None, place="平湖"):
        if not JointActivity.objects.filter(partner=partners[partner], title=title).exists():
            services.joint_activity_create(
                partner=partners[partner],
                agreement=agreement,
                title=title,
                date=day,
                place=place,
                summary=summary,
            )

    activity(
        "上海市机械工程学会",
        "“科创中国”企业数字化转型科技服务团平湖工作站揭牌",
        date(2021, 7, 29),
        "工作站在平湖挂牌，并举办数字化转型专场服务，专家与本地企业面对面交流。",
        smes,
    )
    activity(
        "上海市机械工程学会",
        "“科协帮”平台发布暨长三角数智专家助企赋能专场",
        date(2022, 9, 19),
        "技术共享平台上线，上海专家随后走访企业了解技术难题。",
        smes,
    )
    for year in (2020, 2021, 2022):
        activity(
            "上海市金山区科协",
            f"{year}年长三角地区科普漫画大赛",
            date(year, 10, 15),
            "两地联合征集科普漫画作品，获奖作品在长三角多地巡回展出。",
            jinshan,
            place="平湖、金山",
        )
    activity(
        "上海市金山区科协",
        "毗邻镇科技助农联合服务",
        date(2021, 5, 12),
        "新仓、新埭两镇与金山毗邻镇的农技人员一起走进田间，交流病虫害防治经验。",
        jinshan,
        place="新仓镇",
    )
    activity(
        "上海市金山区科协",
        "STEAM创新教育联盟教师交流周",
        date(2021, 11, 8),
        "三地科学教师相互听课、共同备课。",
        steam_js,
    )
    activity(
        "上海市科学普及志愿者协会",
        "上海医疗专家平湖行",
        date(2021, 9, 25),
        "上海医疗专家到平湖开展义诊和健康讲座。",
    )


def _contest(societies, town_branches) -> None:
    town_list = list(town_branches.values())
    for year in DATA["contest_years"]:
        scores = []
        for index, base in enumerate(DATA["contest_projects"]):
            society_name, domain, goal = base["society"], base["domain"], base["goal"]
            title = base["title"] + DATA["year_suffixes"][str(year)]
            society = societies[society_name]
            project = ContestProject.objects.filter(year=year, society=society, title=title).first()
            if project is None:
                project = services.contest_project_create(
                    year=year,
                    society=society,
                    title=title,
                    domain=domain,
                    goal=goal,
                    branches=[town_list[(index + year) % len(town_list)]],
                    result="按计划完成全部服务内容，服务对象反馈良好。",
                )
                for month, text in (
                    (4, "完成项目方案，确定服务对象和专家名单。"),
                    (7, "开展第一轮集中服务，收集服务对象的意见。"),
                    (11, "完成年度服务，整理成效材料参加评比。"),
                ):
                    services.contest_progress_add(
                        project=project, date=date(year, month, 15), text=text
                    )
                score = Decimal(70 + (index * 37 + year) % 29) + Decimal("0.5")
                services.contest_project_score(project=project, score=score)
            scores.append(project)
        if any(project.rank is None for project in scores):
            services.contest_year_rank(year=year)


def _manager(branch: Branch) -> User:
    from kexie.management.commands.seed_demo import DEMO_PASSWORD

    user = User.objects.filter(email=DEMO_MANAGER_EMAIL).first()
    if user is None:
        user = User.objects.create_user(
            email=DEMO_MANAGER_EMAIL,
            password=DEMO_PASSWORD,
            name=f"{branch.name}管理员（演示）",
            role=User.Role.MANAGER,
            is_staff=True,
        )
    if not OrgManager.objects.filter(user=user, branch=branch).exists():
        services.org_manager_create(user=user, branch=branch)
    return user
