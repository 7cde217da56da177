"""What a patient reads on the printed plan, per clinical situation and language."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from web.printing import render_plan_pdf


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_hypertensive_plan_in_chinese_has_fitt_hr_targets_and_schedule(
        app_ctx, make_context, hypertensive_rx, read_pages):
    pages = read_pages(render_plan_pdf(make_context(hypertensive_rx)))
    text = squash("".join(pages))
    assert "王建国" in text
    assert "DH-2026-00417" in text
    assert "运动处方" in text
    assert "朝阳区东湖社区卫生服务站" in text
    # FITT-VP of the aerobic block, with the Karvonen range and the 10-s pulse count
    assert "每周5–7天" in text
    assert "每次30–60分钟；每周累计150–300分钟" in text
    assert "中等强度（心率储备的40–59%）" in text
    assert "每分钟111–129次（数10秒脉搏为19–21次）" in text
    assert "Borg6–20分量表12–13分（有点吃力）" in text
    assert "快走（4.3MET）" in text
    assert "第1–2周：" in text
    # weekly schedule: day names, aerobic sessions, strength days
    assert all(day in text for day in ("周一", "周三", "周日"))
    assert text.count("30–60分钟") >= 5
    assert "中等强度活动累计150–300分钟" in text
    # avoid, precautions, referral, warning box, re-test, QR caption, provenance, paging
    assert "憋气用力和大重量举重：憋气用力会使血压骤升" in text
    assert "收缩压≥160或舒张压≥100mmHg" in text
    assert "全科/家庭医生（常规预约）：血压1级" in text
    assert "出现以下任何情况，请立即停止运动并就医" in text
    assert "胸痛" in text
    assert "拨打120" in text
    assert "请于2026年4月28日回来复查" in text
    assert "扫码查看本处方的电子版" in text
    assert "链接有效期至2026年6月1日" in text
    assert "规则集default1.0.0" in text
    assert "模型fitness_tier-2026.1" in text
    assert f"第1/{len(pages)}页" in text
    assert "草稿" not in text  # signed plan: no watermark
    assert "第2版，已签名" in text


def test_pypdf_extracts_name_and_title(app_ctx, make_context, hypertensive_rx):
    """pypdf's own extractor finds the name and title (it pads two-byte codes with NUL)."""
    reader = PdfReader(io.BytesIO(render_plan_pdf(make_context(hypertensive_rx))))
    first = reader.pages[0].extract_text().replace("\x00", "")
    assert "王建国" in first
    assert "运动处方" in first


def test_english_plan_uses_english_catalogue_and_prescription_texts(
        app_ctx, make_context, hypertensive_rx, read_pages):
    ctx = make_context(hypertensive_rx, lang="en", station_name="Donghu Community Health Station",
                       clinician_name="Dr Li Jing", patient_name="Wang Jianguo")
    text = " ".join(" ".join(p.split()) for p in read_pages(render_plan_pdf(ctx)))
    assert "Exercise plan" in text
    assert "Wang Jianguo" in text
    assert "111–129 beats per minute (count 19–21 beats in 10 seconds)" in text
    assert "moderate (40–59% of heart-rate reserve)" in text
    assert "12–13 on the Borg 6–20 scale (somewhat hard)" in text
    assert "Brisk walking (4.3 MET)" in text
    assert "Family doctor, routine appointment: Grade 1 blood pressure" in text
    assert "STOP exercising and seek medical help if you notice:" in text
    assert "Page 1 of" in text
    assert not re.search(r"[\u4e00-\u9fff]", text.replace("王建国", "")), "Chinese leaked"


def test_beta_blocker_plan_prints_rpe_and_no_heart_rate_target(
        app_ctx, make_context, beta_blocker_rx, read_pages):
    ctx = make_context(beta_blocker_rx, patient_name="刘秀英", patient_sex="F",
                       patient_age_years=62)
    text = squash("".join(read_pages(render_plan_pdf(ctx))))
    assert "不设靶心率：您服用的β受体阻滞剂会降低心率" in text
    assert "每分钟" not in text.split("不设靶心率")[0].split("靶心率")[-1]
    assert not re.search(r"每分钟\d+–\d+次", text)
    # the Borg scale is printed with its anchors and both components' targets
    assert "自觉疲劳程度（Borg6–20分量表）" in text
    assert all(word in text for word in ("完全不费力", "有点吃力", "竭尽全力"))
    assert "女/62岁" in text
    # the prescription's own warning signs (with hypoglycaemia) replace our general list
    assert "出现低血糖症状（心慌、出汗、手抖、饥饿感）或血糖低于4.0mmol/L" in text
    assert "胸部、颈部、下颌或手臂出现压迫、疼痛或不适" in text
    assert "比平时明显气急" not in text


def test_deferred_plan_says_do_not_start_and_prints_no_exercise(
        app_ctx, make_context, deferred_rx, read_pages):
    pdf = render_plan_pdf(make_context(deferred_rx, signed_at=None))
    text = squash("".join(read_pages(pdf)))
    assert "现在请不要开始运动" in text
    assert "安静血压212/118mmHg" in text
    assert "建议：休息15分钟后复测" in text
    assert "下次复查" not in text  # a deferred plan has no re-test date: reassessed when resolved
    assert "全科/家庭医生（尽快）" in text
    assert "一周安排" not in text
    assert "运动内容" not in text
    assert "靶心率" not in text
    assert "出现以下任何情况，请立即停止运动并就医" in text
    assert text.count("草稿") >= 2  # status line and the watermark
    assert "未签名（草稿，第2版）" in text


def test_pending_clearance_is_boxed_before_the_exercise(
        app_ctx, make_context, hypertensive_rx, read_pages):
    hypertensive_rx["outcome"] = "prescription_pending_clearance"
    hypertensive_rx["clearance"] = {"required": True, "before": "any", "reasons": [
        {"rule_id": "bp-grade2-clearance",
         "reason": {"zh": "血压2级：开始前需医学评估", "en": "BP grade 2: see a doctor first"}}]}
    text = squash("".join(read_pages(render_plan_pdf(make_context(hypertensive_rx)))))
    assert "开始运动前请先就医评估" in text
    assert "血压2级：开始前需医学评估" in text
    assert text.index("开始运动前请先就医评估") < text.index("一周安排")


def test_vigorous_clearance_allows_start_but_warns(
        app_ctx, make_context, hypertensive_rx, read_pages):
    hypertensive_rx["clearance"] = {"required": True, "before": "vigorous", "reasons": [
        {"rule_id": "acsm-known-disease", "reason": {"zh": "已知心血管疾病", "en": "Known CVD"}}]}
    text = squash("".join(read_pages(render_plan_pdf(make_context(hypertensive_rx)))))
    assert "进行较大强度运动前需经医生评估" in text
    assert "可以开始下面的处方" in text


def test_child_plan_uses_talk_test_and_youth_weekly_goal(
        app_ctx, make_context, youth_rx, read_pages):
    ctx = make_context(youth_rx, patient_name="李子轩", patient_age_years=10.4,
                       school_name="东湖小学", class_name="四年级2班", progress=[])
    text = squash("".join(read_pages(render_plan_pdf(ctx))))
    assert "学生运动处方" in text
    assert "东湖小学" in text
    assert "四年级2班" in text
    assert "男/10岁" in text
    assert "中高强度活动累计至少420分钟（约每天60分钟）" in text
    assert "心率公式不适用于儿童青少年" in text
    assert "谈话测试：说几个字就要换气" in text  # the prescription's own wording
    assert "视光门诊（常规预约）：筛查性近视" in text
    assert "课余视屏时间每天不超过1小时" in text
    assert "体质测试变化" not in text  # no chart without two progress points


def test_needs_review_is_shown_on_drafts_only(app_ctx, make_context, hypertensive_rx,
                                             read_pages):
    hypertensive_rx["needs_review"] = [{"code": "missing_resting_hr", "rule_id": None,
                                        "reason": {"zh": "缺少安静心率", "en": "No resting HR"}}]
    draft = squash("".join(read_pages(render_plan_pdf(
        make_context(hypertensive_rx, signed_at=None)))))
    signed = squash("".join(read_pages(render_plan_pdf(make_context(hypertensive_rx)))))
    assert "医生审核：签名前请复核" in draft
    assert "缺少安静心率" in draft
    assert "缺少安静心率" not in signed


def test_empty_warning_signs_fall_back_to_general_stop_list(
        app_ctx, make_context, hypertensive_rx, read_pages):
    hypertensive_rx["warning_signs"] = []
    text = squash("".join(read_pages(render_plan_pdf(make_context(hypertensive_rx)))))
    for sign in ("胸痛、胸闷或压迫感", "心悸", "腿部抽筋"):
        assert sign in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_qr_caption_without_expiry(app_ctx, make_context, hypertensive_rx, read_pages, lang):
    ctx = make_context(hypertensive_rx, lang=lang, qr_expires_on=None)
    text = squash("".join(read_pages(render_plan_pdf(ctx))))
    assert ("扫码查看本处方的电子版" if lang == "zh" else "Scanfortheonlinecopy") in text
    assert "有效期" not in text
    assert "expires" not in text


def test_issue_date_and_signature_time_are_printed(app_ctx, make_context, hypertensive_rx,
                                                   read_pages):
    ctx = make_context(hypertensive_rx, lang="en", issued_on=date(2026, 3, 4))
    text = " ".join(" ".join(p.split()) for p in read_pages(render_plan_pdf(ctx)))
    assert "March 4, 2026" in text
    assert "March 3, 2026 10:25 (version 2)" in text
