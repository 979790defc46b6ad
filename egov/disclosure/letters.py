"""The answer letter (政府信息公开申请答复书) of a request, as HTML, PDF and DOCX.

``compose`` writes the letter's texts from the request (its number, the applicant, the day of
receipt, what was asked, the answer of 第36条 or 第37条 with its legal basis, the fee, the
remedies, the body and the date), then applies the request's answer redaction rules to every
one of them; the three renderings are made from those redacted texts only, so nothing that a
rule hides can reach them. The wording of each kind of answer is a template,
``disclosure/letter/answer/<kind>.txt``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone

from .choices import AnswerKind, FeeMethod, Outcome
from .documents import Block, docx_bytes, pdf_bytes
from .redaction import MASK, RuleSet, rules_for

LAW = "《中华人民共和国政府信息公开条例》"
TITLE = "政府信息公开申请答复书"
REMEDY = "如对本答复不服，可在收到本答复之日起60日内申请行政复议或6个月内提起行政诉讼。"
FEE_RULES = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"

# The article of the regulations that each kind of answer is given under.
ARTICLE_OF_KIND = {
    AnswerKind.ALREADY_PUBLIC: "第三十六条第（一）项",
    AnswerKind.DISCLOSED: "第三十六条第（二）项",
    AnswerKind.WITHHELD: "第三十六条第（三）项",
    AnswerKind.NOT_EXIST: "第三十六条第（四）项",
    AnswerKind.NOT_OURS: "第三十六条第（五）项",
    AnswerKind.REPEAT: "第三十六条第（六）项",
    AnswerKind.SPECIAL_REGIME: "第三十六条第（七）项",
    AnswerKind.PARTIAL: "第三十七条",
}
# The kinds whose reason (the outcome) is cited before the kind's own article, or instead.
KINDS_BY_OUTCOME = (AnswerKind.WITHHELD, AnswerKind.CANNOT_PROVIDE, AnswerKind.NOT_HANDLED)
# For the kinds whose article depends on the reason (the outcome), and the reasons for
# withholding, which have an article of their own (第十四条 to 第十六条).
ARTICLE_OF_OUTCOME = {
    Outcome.SECRET: "第十四条",
    Outcome.LAW_FORBIDS: "第十四条",
    Outcome.SAFETY: "第十四条",
    Outcome.THIRD_PARTY: "第十五条",
    Outcome.INTERNAL: "第十六条第一款",
    Outcome.PROCESS: "第十六条第二款",
    Outcome.ENFORCEMENT: "第十六条第二款",
    Outcome.NOT_HELD: "第三十六条第（四）项",
    Outcome.NEEDS_MAKING: "第三十八条",
    Outcome.STILL_UNCLEAR: "第三十条",
    Outcome.PETITION: "第三十九条第一款",
    Outcome.PUBLICATION: "第三十九条第二款",
    Outcome.EXCESSIVE: "第三十五条",
}
REASON_OF_OUTCOME = {
    Outcome.SECRET: "属于国家秘密",
    Outcome.LAW_FORBIDS: "属于法律、行政法规禁止公开的信息",
    Outcome.SAFETY: "公开后可能危及国家安全、公共安全、经济安全、社会稳定",
    Outcome.THIRD_PARTY: "涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害",
    Outcome.INTERNAL: "属于行政机关的内部事务信息",
    Outcome.PROCESS: "属于行政机关在履行行政管理职能过程中形成的过程性信息",
    Outcome.ENFORCEMENT: "属于行政执法案卷信息",
    Outcome.QUERY: "属于行政查询事项",
    Outcome.NOT_HELD: "本机关不掌握相关政府信息",
    Outcome.NEEDS_MAKING: "您申请的信息没有现成信息，需要另行制作",
    Outcome.STILL_UNCLEAR: "您补正后的申请内容仍不明确",
    Outcome.PETITION: "您的申请属于以政府信息公开申请的形式进行信访、投诉、举报等活动",
    Outcome.PUBLICATION: "您的申请内容为要求提供政府公报、报刊、书籍等公开出版物",
    Outcome.EXCESSIVE: "您申请公开政府信息的数量、频次明显超过合理范围，且说明的理由不合理",
    Outcome.CONFIRMATION: "您的申请内容为要求本机关确认或者重新出具您已获取的信息",
}
FEE_METHOD = {FeeMethod.BY_COUNT: "按件计收", FeeMethod.BY_PAGES: "按量计收"}


@dataclass(frozen=True)
class Letter:
    """The letter's texts, every one already redacted."""

    body_name: str
    title: str
    number: str
    addressee: str
    paragraphs: tuple[str, ...]
    signature: str
    date: str
    hidden: int  # spans hidden in all its texts

    def blocks(self) -> list[Block]:
        return [
            Block(self.body_name, "heading"),
            Block(self.title, "title"),
            Block(self.number, "number"),
            Block(self.addressee, "plain"),
            *(Block(paragraph, "body") for paragraph in self.paragraphs),
            Block(self.signature, "right"),
            Block(self.date, "right"),
        ]


def chinese_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def articles(request) -> list[str]:
    """The articles of the regulations the answer is given under, the reason's first."""
    found = []
    if request.answer_kind in KINDS_BY_OUTCOME and request.outcome in ARTICLE_OF_OUTCOME:
        found.append(ARTICLE_OF_OUTCOME[request.outcome])
    article = ARTICLE_OF_KIND.get(request.answer_kind)
    if article and article not in found:
        found.append(article)
    return found


def basis(request) -> str:
    """The legal basis as the letter cites it: the regulations' articles, then the one the
    handler recorded (an article of the regulations, or another law)."""
    cited = articles(request)
    text = LAW + "、".join(cited) if cited else ""
    extra = request.legal_basis.strip().rstrip("。；;，,")
    if extra and extra not in cited:
        if not text:
            text = extra if extra.startswith("《") else LAW + extra
        elif extra.startswith("第"):
            text += "、" + extra
        else:
            text += "和" + extra
    return text or LAW + "的有关规定"


def _fee_paragraph(request) -> str:
    if not request.fee_amount or request.fee_method not in FEE_METHOD:
        return ""
    pages = (
        f"（共{request.fee_pages}页）"
        if request.fee_method == FeeMethod.BY_PAGES and request.fee_pages
        else ""
    )
    return (
        f"根据{FEE_RULES}的规定，本次申请{FEE_METHOD[request.fee_method]}信息处理费"
        f"{request.fee_amount}元{pages}。"
    )


def _raw_paragraphs(request) -> list[str]:
    paragraphs = [
        f"本机关于{chinese_date(request.received_on)}收到您提交的政府信息公开申请"
        f"（申请编号：{request.number}），您申请获取：“{request.description.strip()}”。"
        "经审查，现答复如下："
    ]
    answer = render_to_string(
        f"disclosure/letter/answer/{request.answer_kind}.txt",
        {
            "basis": basis(request),
            "reason": REASON_OF_OUTCOME.get(request.outcome, ""),
            "where_public": request.where_public.strip(),
            "right_body": request.right_body.strip(),
            "mask": MASK,
        },
    ).strip()
    paragraphs.append(answer)
    paragraphs += [part.strip() for part in request.answer_text.split("\n\n") if part.strip()]
    fee = _fee_paragraph(request)
    if fee:
        paragraphs.append(fee)
    paragraphs.append(REMEDY)
    paragraphs.append("特此告知。")
    return paragraphs


def compose(request, *, on: datetime.date | None = None) -> Letter:
    """The letter of ``request``'s answer, every text redacted with its answer rules."""
    if request.answer_kind not in ARTICLE_OF_KIND and request.answer_kind not in KINDS_BY_OUTCOME:
        raise ValueError(f"request {request.number} has no answer to write a letter for")
    day = on or request.answered_on or timezone.localdate()
    body_name = request.body.name_zh
    texts = {
        "body_name": body_name,
        "title": TITLE,
        "number": f"编号：{request.number}",
        "addressee": f"{request.applicant_name}：",
        "signature": body_name,
        "date": chinese_date(day),
    }
    rules = RuleSet(rules_for(request, "answers")).start_clock()
    hidden = 0
    redacted = {}
    for key, text in texts.items():
        result = rules.redact(text)
        redacted[key] = result.text
        hidden += result.count
    paragraphs = []
    for text in _raw_paragraphs(request):
        result = rules.redact(text)
        paragraphs.append(result.text)
        hidden += result.count
    return Letter(paragraphs=tuple(paragraphs), hidden=hidden, **redacted)


def _meta(letter: Letter) -> dict:
    return {"title": f"{letter.title} {letter.number}", "author": letter.body_name}


def letter_html(request, letter: Letter | None = None) -> str:
    letter = letter or compose(request)
    return render_to_string("disclosure/letter/letter.html", {"letter": letter})


def letter_pdf(request, letter: Letter | None = None) -> bytes:
    letter = letter or compose(request)
    return pdf_bytes(letter.blocks(), **_meta(letter))


def letter_docx(request, letter: Letter | None = None) -> bytes:
    letter = letter or compose(request)
    return docx_bytes(letter.blocks(), **_meta(letter))


def file_name(request, extension: str) -> str:
    return f"{TITLE}-{request.number}.{extension}"
