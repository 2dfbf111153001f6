"""Demo data of the 科协帮: twenty Pinghu-like enterprises, about two hundred
experts of the Yangtze River Delta, sixty needs in every state of the closed
loop, engagements with ratings, achievements and workstations.

Everything is written through the services, so each need's history is the
one the workflow records; the histories are then spread over the past months
so that figures, digests and the stuck list look like a running platform.
Re-runnable: records that exist (by name, credit code or title) are left alone.
"""

import random
from datetime import date, timedelta

from django.db.models import F
from django.utils import timezone

from experts.demo.data import DATA, DEMO_ENTERPRISE_EMAIL, DEMO_EXPERT_EMAIL
from experts.matching import recommend_experts
from experts.matching.index import build_index, entry_vectors_prepare
from experts.models import (
    Achievement,
    Discipline,
    Engagement,
    Enterprise,
    Expert,
    NeedTransition,
    Response,
    TechNeed,
    Workstation,
)
from experts.services import applications, catalogue, engagements, matching, needs, responses
from kexie.platform.accounts.models import User
from kexie.platform.lib.validators import credit_code_check_char
from members.reference import ensure_towns

S = TechNeed.Status
EXPERT_COUNT = 200
APPLICANT = DATA["applicant"]
NEWCOMER = DATA["newcomer"]
INVITED_EXPERT = DATA["invited_expert"]


def seed(*, stdout) -> None:
    from experts.matching.evaluation import VOCABULARY_PATH, load_json, vocabulary_install
    from experts.matching.outcomes import recommendation_events_sync
    from kexie.management.commands.seed_demo import DEMO_PASSWORD, DEMO_STAFF_EMAIL

    staff = User.objects.get(email=DEMO_STAFF_EMAIL)
    rng = random.Random(20220919)  # the day the platform was launched
    towns = ensure_towns()
    # The shipped vocabulary first (the plain-language synonyms the matching
    # relies on, 机器看 → 机器视觉 …, the same data its evaluation uses), then
    # the demo's own entries, none of whose words the shipped one has.
    vocabulary_install(load_json(VOCABULARY_PATH)["vocabulary"])
    vocabulary_install(DATA["keywords"])
    enterprises = _enterprises(towns, staff)
    owners = _owners(enterprises, DEMO_PASSWORD)
    experts = _experts(rng)
    demo_expert = _demo_expert(experts, DEMO_PASSWORD)
    created = _needs(rng, enterprises, owners, staff, demo_expert)
    _achievements(rng, enterprises, experts)
    _workstations(rng, enterprises, experts, staff)
    recommendation_events_sync()
    onboarding = _first_days(DEMO_PASSWORD, staff)
    # Every profile's and vocabulary entry's meaning encoded and stored now, not while
    # staff wait on their first need page: about 15 s of CPU for 200 profiles and
    # 20 s for the shipped vocabulary's 5,000 entries.
    build_index()
    entry_vectors_prepare()
    stdout.write(
        f"  科协帮: {Enterprise.objects.count()} enterprises, {Expert.objects.count()} experts, "
        f"{TechNeed.objects.count()} needs ({created} new), "
        f"{Engagement.objects.count()} engagements, {Workstation.objects.count()} workstations"
    )
    stdout.write(f"  enterprise log-in: {DEMO_ENTERPRISE_EMAIL} / {DEMO_PASSWORD}")
    stdout.write(f"  expert log-in: {DEMO_EXPERT_EMAIL} / {DEMO_PASSWORD}")
    for line in onboarding:
        stdout.write(f"  {line}")


def _credit_code(n: int) -> str:
    body = f"91330482MA2{n:06d}"
    return body + credit_code_check_char(body)


def _enterprises(towns, staff) -> dict[str, Enterprise]:
    """The demo's enterprises by name (needs and workstations name their own)."""
    rows = DATA["enterprises"]
    result = {}
    for n, row in enumerate(rows, start=1):
        enterprise = Enterprise.objects.filter(credit_code=_credit_code(n)).first()
        if enterprise is None:
            enterprise = catalogue.enterprise_register(
                user=None,
                name=row["name"],
                credit_code=_credit_code(n),
                industry=row["industry"],
                town=towns[row["town"]],
                size=row["size"],
                contact_name="联系人",
                contact_phone=f"0573-85{n:06d}",
                description=row["description"],
            )
            # Staff verified the demo enterprises, except the last two.
            if n <= len(rows) - 2:
                catalogue.enterprise_verify(enterprise=enterprise, by=staff)
        result[row["name"]] = enterprise
    return result


def _owners(enterprises, password) -> dict[str, User]:
    """One user acting for each enterprise; the first one has the printed log-in."""
    owners = {}
    for n, enterprise in enumerate(enterprises.values(), start=1):
        email = DEMO_ENTERPRISE_EMAIL if n == 1 else f"enterprise{n}@demo.kexie"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email,
                password=password if n == 1 else None,
                name=f"{enterprise.name[2:6]}对接人",
                role=User.Role.ENTERPRISE,
            )
        enterprise.users.add(user)
        owners[enterprise.name] = user
    return owners


def _weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _experts(rng) -> list[Expert]:
    disciplines = {d.code: d for d in Discipline.objects.all()}
    names = [s + g for g in DATA["given_names"] for s in DATA["surnames"]]
    rng.shuffle(names)
    experts = []
    for n in range(EXPERT_COUNT):
        name = names[n]
        profile = DATA["profiles"][n % len(DATA["profiles"])]
        codes, words, work = profile["fields"], profile["keywords"], profile["work"]
        # Draw every random value first, so a re-run walks the same sequence.
        region = _weighted(rng, DATA["region_weights"].items())
        organisation = rng.choice(DATA["organisations"][region])
        title = _weighted(rng, DATA["title_weights"].items())
        keywords = rng.sample(words, k=max(1, len(words) - rng.randint(0, 1)))
        availability = _weighted(rng, [("available", 14), ("busy", 4), ("unavailable", 2)])
        expert = Expert.objects.filter(name=name, organisation=organisation).first()
        if expert is not None:
            experts.append(expert)
            continue
        expert = catalogue.expert_save(
            name=name,
            title=title,
            organisation=organisation,
            region=region,
            fields=[disciplines[code] for code in codes],
            keywords=keywords,
            biography=f"{organisation}{Expert.Title(title).label}，{work}，"
            f"熟悉{'、'.join(keywords)}等方向，曾为多家长三角制造企业提供技术服务。",
            availability=availability,
            is_public=n % 25 != 7,  # a few keep their profile private
            contact_email=f"expert{n + 1}@demo.kexie",
        )
        experts.append(expert)
    return experts


def _demo_expert(experts, password) -> Expert:
    """The storage-battery expert gets the printed expert log-in."""
    user = User.objects.filter(email=DEMO_EXPERT_EMAIL).first()
    if user is None:
        user = User.objects.create_user(
            email=DEMO_EXPERT_EMAIL, password=password, name="专家（演示）", role=User.Role.EXPERT
        )
    expert = Expert.objects.filter(user=user).first()
    if expert is None:
        expert = next(
            e
            for e in experts
            if e.is_recommendable and e.user_id is None and e.fields.filter(code="480").exists()
        )
        expert.user = user
        expert.availability = Expert.Availability.AVAILABLE
        expert.save(update_fields=["user", "availability"])
    return expert


def _needs(rng, enterprises, owners, staff, demo_expert) -> int:
    disciplines = {d.code: d for d in Discipline.objects.all()}
    created = 0
    today = timezone.localdate()
    plan = [state for state, count in DATA["state_plan"].items() for _ in range(count)]
    assert len(DATA["needs"]) == len(plan)
    for n, row in enumerate(DATA["needs"]):
        # Stride through the plan (23 is prime to 60) so each enterprise's
        # needs land in different states: the demo enterprise sees a draft, a
        # matched need with responses, a rated one and a withdrawn one.
        target = plan[(n * 23) % len(plan)]
        enterprise, owner = enterprises[row["enterprise"]], owners[row["enterprise"]]
        if TechNeed.objects.filter(enterprise=enterprise, title=row["title"]).exists():
            continue
        need = needs.need_create(
            enterprise=enterprise,
            by=owner,
            title=row["title"],
            summary=row["summary"],
            details=row["details"],
            kind=row["kind"],
            fields=[disciplines[code] for code in row["fields"]],
            keywords=row["keywords"],
            budget_min=row["budget_min"],
            budget_max=row["budget_max"],
            deadline=today + timedelta(days=60 + 7 * (n % 20)),
            is_anonymous=row["anonymous"],
        )
        _walk(rng, need, target, owner=owner, staff=staff, demo_expert=demo_expert, n=n)
        # Spread the histories over the past months: later states, older needs.
        _backdate(need, days=_age(target, n))
        created += 1
    return created


def _age(target: str, n: int) -> int:
    base = {
        "draft": 2,
        "submitted": 3,
        "rejected": 12,
        # Some published needs are days old, so the Monday digest has news.
        "published": 1,
        "matched": 15,
        "accepted": 25,
        "in_service": 40,
        "resolved": 60,
        "rated": 90,
        "closed": 150,
        "withdrawn": 30,
    }[target]
    return base + (n * 7) % 20


def _walk(rng, need, target, *, owner, staff, demo_expert, n) -> None:
    if target == "draft":
        return
    needs.need_submit(need=need, by=owner)
    if target == "submitted":
        return
    if target == "rejected":
        needs.need_reject(
            need=need, by=staff, reason="摘要中包含客户名称等商业信息，请修改后重新提交。"
        )
        return
    needs.need_publish(need=need, by=staff)
    if target == "withdrawn":
        needs.need_withdraw(need=need, by=owner, reason="企业已通过其他渠道解决。")
        return
    if target == "published":
        return
    ranking = [rec.expert for rec in recommend_experts(need, limit=6)]
    # The demo expert is invited to the storage needs, so their dashboard has work.
    if demo_expert.fields.filter(pk__in=need.fields.all()).exists() and demo_expert not in ranking:
        ranking.insert(0, demo_expert)
    invited = ranking[:3]
    for expert in invited:
        matching.invitation_create(
            need=need, expert=expert, by=staff, message="您的研究方向与该需求高度相关，诚邀对接。"
        )
    if target == "closed" and n % 2:
        needs.need_close(need=need, by=staff, reason="长期无合适专家响应，经与企业沟通后关闭。")
        return
    answers = []
    for expert in invited[: 1 + n % 3]:
        answers.append(
            responses.response_create(
                need=need,
                expert=expert,
                by=expert.user,
                approach=f"建议先到现场诊断，再结合{expert.organisation}的试验条件制定"
                "分阶段解决方案，每两周向企业通报进展。",
                duration=f"{2 + n % 4}个月",
                cost_min=need.budget_min,
                cost_max=need.budget_max,
            )
        )
    if answers:
        responses.response_message_add(
            response=answers[0], by=owner, body="请问前期诊断需要我们准备哪些资料？"
        )
        if answers[0].expert.user_id:
            responses.response_message_add(
                response=answers[0],
                by=answers[0].expert.user,
                body="请准备近三个月的工艺记录和不良品统计。",
            )
    if target == "matched" or not answers:
        return
    chosen = answers[0]
    responses.response_accept(response=chosen, by=owner)
    if target == "accepted":
        return
    for step, entry in enumerate(DATA["service_log"][: 2 + n % 3]):
        author = chosen.expert.user if (step % 2 and chosen.expert.user_id) else owner
        engagements.service_log_add(
            need=need,
            by=author,
            kind=entry["kind"],
            occurred_on=timezone.localdate() - timedelta(days=3 - step),
            summary=entry["summary"],
        )
    if target == "in_service":
        return
    outcomes = DATA["outcomes"]
    engagements.engagement_resolve(need=need, by=owner, outcome=outcomes[n % len(outcomes)])
    if target == "resolved":
        return
    overall = 5 if n % 4 else rng.choice([3, 4])
    engagements.rating_create(
        need=need,
        by=owner,
        overall=overall,
        timeliness=max(overall - n % 2, 1),
        expertise=5,
        outcome=overall,
        comment=DATA["rating_comments"][n % len(DATA["rating_comments"])],
    )
    if chosen.expert.user_id:
        engagements.rating_reply(need=need, by=chosen.expert.user, reply="感谢认可，欢迎随时联系。")
    if target == "closed":
        needs.need_close(need=need, by=staff)


def _backdate(need: TechNeed, *, days: int) -> None:
    """Shift a need's whole history ``days`` into the past, keeping its order."""
    delta = timedelta(days=days)
    NeedTransition.objects.filter(need=need).update(at=F("at") - delta)
    TechNeed.objects.filter(pk=need.pk).update(
        created_at=F("created_at") - delta,
        status_changed_at=F("status_changed_at") - delta,
        published_at=F("published_at") - delta,
    )
    Response.objects.filter(need=need).update(created_at=F("created_at") - delta)
    need.invitations.update(created_at=F("created_at") - delta)
    Engagement.objects.filter(need=need).update(
        started_at=F("started_at") - delta, resolved_at=F("resolved_at") - delta
    )
    for entry in need.engagement.log_entries.all() if hasattr(need, "engagement") else []:
        entry.occurred_on -= delta
        entry.save(update_fields=["occurred_on"])


def _achievements(rng, enterprises, experts) -> None:
    disciplines = {d.code: d for d in Discipline.objects.all()}
    enterprise_list = list(enterprises.values())
    for n, row in enumerate(DATA["achievements"]):
        if Achievement.objects.filter(title=row["title"]).exists():
            continue
        holder = next(
            (e for e in experts if e.organisation == row["institution"] and e.is_public), None
        )
        achievement = catalogue.achievement_save(
            title=row["title"],
            summary=row["summary"],
            field=disciplines[row["field"]],
            maturity=row["maturity"],
            terms=row["terms"],
            terms_note=row["terms_note"],
            institution=row["institution"],
            expert=holder,
        )
        if n % 4 == 0:
            enterprise = enterprise_list[n % len(enterprise_list)]
            catalogue.achievement_interest_create(
                achievement=achievement,
                enterprise=enterprise,
                by=enterprise.users.first(),
                message="我们对这项成果很感兴趣，希望了解技术参数和合作条件。",
            )


def _workstations(rng, enterprises, experts, staff) -> None:
    public = [e for e in experts if e.is_public and e.is_active]
    for row in DATA["workstations"]:
        name, kind, status = row["name"], row["kind"], row["status"]
        if Workstation.objects.filter(name=name).exists():
            continue
        founded = date.fromisoformat(row["established"])
        if kind == "academician":
            pool = [e for e in public if e.title == Expert.Title.ACADEMICIAN] or public
        elif kind == "doctoral":
            pool = [e for e in public if e.title in ("doctor", "associate_professor")] or public
        else:
            pool = public
        station = catalogue.workstation_save(
            name=name,
            kind=kind,
            host=enterprises[row["host"]],
            experts=rng.sample(pool, k=min(3, len(pool))),
            established=founded,
            description=row["description"],
            status=status,
        )
        if status == "applied":
            continue
        for year in range(founded.year + 1, 2026):
            result = "excellent" if (year + len(name)) % 3 == 0 else "good"
            if status == "under_review" and year == 2025:
                result = "pass"
            if status == "revoked" and year >= 2024:
                result = "fail"
            catalogue.workstation_review_add(
                workstation=station,
                year=year,
                result=result,
                by=staff,
                notes="按年度考核办法评定。",
            )


def _first_days(password, staff) -> list[str]:
    """People on their first day: an expert whose application waits for staff,
    an enterprise that registered and left its first need half-written, and
    an expert staff entered from a business card and invited, without an
    account yet (registering with that e-mail links the record)."""
    disciplines = {d.code: d for d in Discipline.objects.all()}

    applicant = User.objects.filter(email=APPLICANT["email"]).first()
    if applicant is None:
        applicant = User.objects.create_user(
            email=APPLICANT["email"], password=password, name=APPLICANT["name"], role="expert"
        )
    if not applicant.expert_applications.exists():
        applications.application_submit(
            user=applicant,
            name=APPLICANT["name"],
            title=APPLICANT["title"],
            organisation=APPLICANT["organisation"],
            region=APPLICANT["region"],
            fields=[disciplines[code] for code in APPLICANT["fields"]],
            keywords=APPLICANT["keywords"],
            biography=APPLICANT["biography"],
        )

    newcomer = User.objects.filter(email=NEWCOMER["email"]).first()
    if newcomer is None:
        newcomer = User.objects.create_user(
            email=NEWCOMER["email"], password=password, name=NEWCOMER["name"], role="enterprise"
        )
    enterprise = Enterprise.objects.filter(credit_code=_credit_code(NEWCOMER["number"])).first()
    if enterprise is None:
        enterprise = catalogue.enterprise_register(
            user=newcomer,
            name=NEWCOMER["enterprise"],
            credit_code=_credit_code(NEWCOMER["number"]),
            industry=NEWCOMER["industry"],
            size=Enterprise.Size.MICRO,
            contact_name=NEWCOMER["name"],
            contact_phone=NEWCOMER["phone"],
        )
    if not enterprise.needs.exists():
        # Left halfway: a title and a line of detail, no summary, kind or field.
        needs.need_create(
            enterprise=enterprise,
            by=newcomer,
            title=NEWCOMER["need_title"],
            summary="",
            details=NEWCOMER["need_details"],
            kind="",
            fields=[],
            keywords=[],
        )

    invited = Expert.objects.filter(contact_email=INVITED_EXPERT["email"]).first()
    if invited is None:
        invited = catalogue.expert_save(
            name=INVITED_EXPERT["name"],
            title=INVITED_EXPERT["title"],
            organisation=INVITED_EXPERT["organisation"],
            region=INVITED_EXPERT["region"],
            fields=[disciplines[code] for code in INVITED_EXPERT["fields"]],
            keywords=INVITED_EXPERT["keywords"],
            biography=INVITED_EXPERT["biography"],
            contact_email=INVITED_EXPERT["email"],
        )
        need = (
            TechNeed.objects.filter(status=S.PUBLISHED, fields__code__in=INVITED_EXPERT["fields"])
            .order_by("pk")
            .first()
        )
        if need is not None:
            matching.invitation_create(need=need, expert=invited, by=staff)
    return [
        f"expert applying (pending review): {APPLICANT['email']} / {password}",
        f"enterprise half-way (a draft to finish): {NEWCOMER['email']} / {password}",
        f"invited expert without an account: register as 专家 with {INVITED_EXPERT['email']}",
    ]
