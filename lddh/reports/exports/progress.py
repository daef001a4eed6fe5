"""Campaign progress against the targets: the whole ward, each residential group, each
member organisation and each board member (the plan's "đạt và vượt chỉ tiêu")."""

from __future__ import annotations

from campaigns.selectors import (
    board_with_targets,
    group_targets,
    organisation_targets,
    target_groups,
    target_organisations,
)
from donations.selectors import campaign_progress
from lddh.reports.exports.base import ReportExport
from lddh.reports.exports.render import Formula, Heading, Line, Subtotal
from lddh.ward.exports import Column
from lddh.ward.figures import DIRECT, RAISED
from lddh.ward.money import format_dong
from lddh.ward.vocab import DonorSource

PERCENT = Formula('=IF(N(C{r})>0,D{r}/C{r},"")')


class CampaignProgressReport(ReportExport):
    title = "Báo cáo tiến độ vận động so với chỉ tiêu"
    sheet_name = "Tiến độ vận động"
    filename = "tien-do-van-dong"
    uses_fund = False
    columns = (
        Column("STT", "text", 6),
        Column("Nội dung", "text", 56),
        Column("Chỉ tiêu (đồng)", "money", 18),
        Column(f"{RAISED.name} (đồng)", "money", 18),
        Column("Tỷ lệ so với chỉ tiêu", "percent", 12),
    )
    label_column = 1

    def __init__(self, context):
        super().__init__(context)
        self.campaign = context.campaign
        self.progress = campaign_progress(self.campaign)

    def subtitle_lines(self):
        c = self.campaign
        return [
            f"{c.name} (từ ngày {c.start_date:%d/%m/%Y} đến ngày {c.end_date:%d/%m/%Y})",
            f"{RAISED.name}: {RAISED.explanation} Ghi nhận cho từng tổ, tổ chức, thành viên "
            "Ban vận động.",
        ]

    def rows(self):
        campaign, progress = self.campaign, self.progress
        yield Line(("", "TOÀN PHƯỜNG", campaign.target or None, progress.total, PERCENT), bold=True)
        gtargets = group_targets(campaign)
        yield Heading("THEO TỔ DÂN PHỐ", "I")
        for number, group in enumerate(target_groups(campaign), start=1):
            yield (
                str(number),
                group.name,
                gtargets.get(group.pk),
                progress.by_group.get(group.pk, 0),
                PERCENT,
            )
        yield Subtotal("Cộng các tổ dân phố", values={4: PERCENT})
        otargets = organisation_targets(campaign)
        yield Heading("THEO TỔ CHỨC THÀNH VIÊN", "II")
        for number, organisation in enumerate(target_organisations(campaign), start=1):
            yield (
                str(number),
                organisation.name,
                otargets.get(organisation.pk),
                progress.by_organisation.get(organisation.pk, 0),
                PERCENT,
            )
        yield Subtotal("Cộng các tổ chức thành viên", values={4: PERCENT})
        yield Heading("THEO THÀNH VIÊN BAN VẬN ĐỘNG", "III")
        for number, member in enumerate(board_with_targets(campaign), start=1):
            label = (
                f"{member.full_name} – {member.position}" if member.position else member.full_name
            )
            yield (
                str(number),
                label,
                member.sub_target,
                progress.by_board_member.get(member.pk, 0),
                PERCENT,
            )
        yield Subtotal("Cộng Ban vận động", values={4: PERCENT})
        yield Heading("THEO NGUỒN (toàn phường)", "IV")
        for number, (value, label) in enumerate(DonorSource.choices, start=1):
            yield (str(number), label, None, progress.by_source.get(value, 0), None)
        yield Subtotal("Cộng theo nguồn", skip=(2,))

    def footer_lines(self):
        p = self.progress
        return [
            f"{DIRECT.name}: {format_dong(p.direct_support_total)} "
            f"({p.direct_support_count} lượt). {DIRECT.explanation}",
            "Một khoản có thể được ghi nhận đồng thời cho một tổ, một tổ chức và một thành "
            "viên Ban vận động, nên các mục I, II, III không cộng dồn với nhau.",
        ]
