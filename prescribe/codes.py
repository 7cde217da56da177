"""Coded clinical vocabulary: conditions (ICD-10), medications (ATC classes) and the ACSM
warning signs, each with Chinese and English labels and the synonyms people type.

Rules never test raw codes: every code, label and synonym resolves to a **group key**
(``hypertension``, ``beta_blocker``…) and rules test ``{fact: conditions, op: has, value:
hypertension}``. A dotted or longer code (``E11.9``, ``C07AB02``) resolves by its longest
listed prefix, so a clinic's full ICD-10 or ATC code needs no extra table row; a row for a
more specific code (``I20.0`` unstable angina) wins over its parent (``I20`` angina).

A few states that matter for exercise safety have no ICD-10 code of their own (an
asthma that is not controlled today, decompensated heart failure, exercise-induced
bronchoconstriction). They carry ``system="local"`` codes so they can still be recorded.

Sources of the clinical groupings: domain.md §1.1/§1.3 (which groups count as disease in
the ACSM 2015 and CN2025 screening profiles), §1.5 (contraindications), §2.6 (drugs that
alter heart rate), §4 (conditions with their own FITT-VP).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .errors import InputProblem
from .vocabulary import ACSM_WARNING_SIGNS


@dataclass(frozen=True)
class Code:
    code: str
    system: str  # "ICD-10" | "ATC" | "ACSM" | "local"
    group: str   # the group a rule tests with `has`, e.g. "hypertension", "beta_blocker"
    label_zh: str
    label_en: str
    synonyms: tuple[str, ...] = ()


def _icd(code: str, group: str, zh: str, en: str, *syn: str) -> Code:
    return Code(code, "ICD-10", group, zh, en, syn)


def _loc(code: str, group: str, zh: str, en: str, *syn: str) -> Code:
    return Code(code, "local", group, zh, en, syn)


def _atc(code: str, group: str, zh: str, en: str, *syn: str) -> Code:
    return Code(code, "ATC", group, zh, en, syn)


CONDITIONS: tuple[Code, ...] = (
    # --- cardiovascular (ACSM "CV disease"; hypertension only under CN2025) -------------
    _icd("I10", "hypertension", "高血压", "Hypertension", "高血压病", "原发性高血压", "HTN",
         "high blood pressure", "essential hypertension"),
    _icd("I11", "hypertension", "高血压性心脏病", "Hypertensive heart disease"),
    _icd("I12", "hypertension", "高血压性肾病", "Hypertensive kidney disease"),
    _icd("I15", "hypertension", "继发性高血压", "Secondary hypertension"),
    _icd("I20", "coronary_heart_disease", "心绞痛(稳定型)", "Angina pectoris (stable)",
         "稳定型心绞痛", "stable angina"),
    _icd("I20.0", "unstable_angina", "不稳定型心绞痛", "Unstable angina"),
    _icd("I21", "acute_myocardial_infarction", "急性心肌梗死", "Acute myocardial infarction",
         "急性心梗", "AMI", "STEMI", "NSTEMI"),
    _icd("I22", "acute_myocardial_infarction", "再发心肌梗死", "Subsequent myocardial infarction"),
    _icd("I25", "coronary_heart_disease", "慢性缺血性心脏病", "Chronic ischaemic heart disease",
         "冠心病", "冠状动脉粥样硬化性心脏病", "CHD", "coronary heart disease",
         "coronary artery disease", "CAD", "陈旧性心肌梗死", "old myocardial infarction"),
    _icd("Z95.1", "coronary_heart_disease", "冠状动脉搭桥术后", "After coronary artery bypass graft",
         "搭桥术后", "CABG"),
    _icd("Z95.5", "coronary_heart_disease", "冠脉支架植入术后", "After coronary stent (PCI)",
         "支架术后", "PCI术后", "PCI"),
    _icd("I50", "heart_failure", "心力衰竭(稳定期)", "Heart failure (stable)", "心衰",
         "慢性心衰", "慢性心力衰竭", "chronic heart failure", "CHF"),
    _loc("LOCAL-HF-DECOMP", "decompensated_heart_failure", "失代偿性心力衰竭",
         "Decompensated heart failure", "急性心衰", "急性心力衰竭", "acute heart failure",
         "uncontrolled heart failure", "心衰未控制"),
    _icd("I48", "atrial_fibrillation", "心房颤动", "Atrial fibrillation", "房颤", "AF",
         "atrial flutter", "心房扑动"),
    _loc("LOCAL-ARRHYTHMIA-UNCONTROLLED", "uncontrolled_arrhythmia", "未控制的心律失常",
         "Uncontrolled arrhythmia", "症状性心律失常", "symptomatic arrhythmia"),
    _icd("Z95.0", "pacemaker", "心脏起搏器", "Cardiac pacemaker", "起搏器", "pacemaker",
         "ICD植入", "implantable defibrillator"),
    _icd("I30", "acute_myocarditis_pericarditis", "急性心包炎", "Acute pericarditis", "心包炎"),
    _icd("I40", "acute_myocarditis_pericarditis", "急性心肌炎", "Acute myocarditis", "心肌炎"),
    _icd("I33", "acute_endocarditis", "急性心内膜炎", "Acute endocarditis", "心内膜炎"),
    _icd("I35.0", "aortic_stenosis", "主动脉瓣狭窄", "Aortic stenosis", "aortic valve stenosis"),
    _icd("I42.1", "hypertrophic_cardiomyopathy", "梗阻性肥厚型心肌病",
         "Obstructive hypertrophic cardiomyopathy", "HOCM"),
    _icd("I42.2", "hypertrophic_cardiomyopathy", "肥厚型心肌病", "Hypertrophic cardiomyopathy",
         "HCM"),
    _icd("I71", "aortic_aneurysm", "主动脉瘤", "Aortic aneurysm"),
    _icd("I71.0", "aortic_dissection", "主动脉夹层", "Aortic dissection"),
    _icd("I26", "pulmonary_embolism", "肺栓塞", "Pulmonary embolism", "肺动脉栓塞"),
    _icd("I80.1", "deep_vein_thrombosis", "股静脉血栓", "Femoral vein thrombosis"),
    _icd("I80.2", "deep_vein_thrombosis", "下肢深静脉血栓", "Deep vein thrombosis", "DVT",
         "深静脉血栓"),
    _icd("I60", "cerebrovascular_disease", "蛛网膜下腔出血", "Subarachnoid haemorrhage"),
    _icd("I61", "cerebrovascular_disease", "脑出血", "Intracerebral haemorrhage"),
    _icd("I63", "cerebrovascular_disease", "脑梗死", "Cerebral infarction", "脑梗", "中风",
         "stroke", "脑卒中"),
    _icd("I69", "cerebrovascular_disease", "脑血管病后遗症", "Sequelae of cerebrovascular disease",
         "脑卒中后遗症"),
    _icd("G45", "cerebrovascular_disease", "短暂性脑缺血发作", "Transient ischaemic attack", "TIA"),
    _icd("I70.2", "peripheral_artery_disease", "下肢动脉硬化闭塞症",
         "Peripheral artery disease of the legs", "PAD", "外周动脉疾病",
         "peripheral artery disease"),
    _icd("I73.9", "peripheral_artery_disease", "外周血管病", "Peripheral vascular disease", "PVD"),
    # --- metabolic -------------------------------------------------------------------
    _icd("E10", "type1_diabetes", "1型糖尿病", "Type 1 diabetes", "T1DM", "T1D"),
    _icd("E11", "type2_diabetes", "2型糖尿病", "Type 2 diabetes", "T2DM", "T2D"),
    _icd("E14", "diabetes_unspecified", "糖尿病(未分型)", "Diabetes, type not recorded", "糖尿病",
         "diabetes", "DM"),
    _icd("G63.2", "diabetic_neuropathy", "糖尿病周围神经病变", "Diabetic polyneuropathy",
         "糖尿病神经病变", "diabetic neuropathy"),
    _icd("H36.0", "diabetic_retinopathy", "糖尿病视网膜病变", "Diabetic retinopathy",
         "糖网", "proliferative diabetic retinopathy", "增殖期糖尿病视网膜病变"),
    _icd("E66", "obesity", "肥胖症", "Obesity", "肥胖", "obese"),
    _icd("E78", "dyslipidaemia", "血脂异常", "Dyslipidaemia", "高脂血症", "高血脂",
         "高胆固醇血症", "高甘油三酯血症", "hyperlipidaemia", "hyperlipidemia", "dyslipidemia",
         "hypercholesterolaemia"),
    _icd("E05", "hyperthyroidism", "甲状腺功能亢进症", "Thyrotoxicosis", "甲亢", "hyperthyroidism"),
    # --- renal -----------------------------------------------------------------------
    _icd("N18", "chronic_kidney_disease", "慢性肾脏病", "Chronic kidney disease", "慢性肾病",
         "CKD", "肾功能不全", "慢性肾衰竭"),
    _icd("N17", "acute_kidney_injury", "急性肾损伤", "Acute kidney injury", "急性肾衰竭", "AKI"),
    _icd("Z99.2", "dialysis", "维持性透析", "Dependence on renal dialysis", "透析", "血液透析",
         "haemodialysis", "hemodialysis"),
    # --- pulmonary (CN2025 screening disease; not under ACSM 2015) -------------------
    _icd("J44", "copd", "慢性阻塞性肺疾病", "COPD", "慢阻肺", "chronic obstructive pulmonary disease"),
    _icd("J43", "copd", "肺气肿", "Emphysema"),
    _icd("J45", "asthma", "支气管哮喘", "Asthma", "哮喘"),
    _icd("J46", "asthma_uncontrolled", "哮喘持续状态", "Acute severe asthma"),
    _loc("LOCAL-ASTHMA-UNCONTROLLED", "asthma_uncontrolled", "哮喘未控制", "Uncontrolled asthma",
         "哮喘急性发作", "asthma exacerbation", "uncontrolled asthma"),
    _loc("LOCAL-EIB", "exercise_induced_bronchoconstriction", "运动诱发支气管收缩",
         "Exercise-induced bronchoconstriction", "EIB", "运动性哮喘", "exercise-induced asthma"),
    _icd("J84", "interstitial_lung_disease", "间质性肺疾病", "Interstitial lung disease", "ILD",
         "肺间质纤维化"),
    _icd("E84", "cystic_fibrosis", "囊性纤维化", "Cystic fibrosis"),
    # --- musculoskeletal ---------------------------------------------------------------
    _icd("M17", "knee_osteoarthritis", "膝骨关节炎", "Knee osteoarthritis", "膝关节炎",
         "膝关节骨关节炎", "knee OA"),
    _icd("M16", "hip_osteoarthritis", "髋骨关节炎", "Hip osteoarthritis", "髋关节炎", "hip OA"),
    _icd("M19", "osteoarthritis", "骨关节炎(其他部位)", "Osteoarthritis, other joints",
         "骨关节炎", "osteoarthritis", "OA"),
    _icd("M81", "osteoporosis", "骨质疏松症", "Osteoporosis", "骨质疏松"),
    _icd("M80", "osteoporosis", "骨质疏松伴病理性骨折", "Osteoporosis with pathological fracture"),
    _icd("M48.5", "vertebral_fracture", "椎体压缩性骨折", "Vertebral compression fracture",
         "椎体骨折", "压缩性骨折", "vertebral fracture"),
    _icd("S22.0", "vertebral_fracture", "胸椎骨折", "Fracture of thoracic vertebra"),
    _icd("S32.0", "vertebral_fracture", "腰椎骨折", "Fracture of lumbar vertebra"),
    _icd("M54.5", "low_back_pain", "下背痛", "Low back pain", "腰痛", "慢性腰痛", "LBP",
         "chronic low back pain", "腰背痛"),
    _icd("M54.4", "low_back_pain", "腰痛伴坐骨神经痛", "Lumbago with sciatica"),
    _icd("M51", "low_back_pain", "腰椎间盘突出症", "Lumbar disc disorder", "腰突",
         "腰椎间盘突出"),
    _icd("M41", "scoliosis", "脊柱侧弯", "Scoliosis", "脊柱侧凸", "特发性脊柱侧凸", "AIS",
         "adolescent idiopathic scoliosis"),
    # --- falls and frailty -----------------------------------------------------------
    _icd("R29.6", "recurrent_falls", "反复跌倒", "Repeated falls", "易跌倒", "跌倒史"),
    _icd("R54", "frailty", "衰弱", "Frailty", "老年衰弱", "frail"),
    # --- pregnancy ---------------------------------------------------------------------
    _icd("Z33", "pregnancy", "妊娠状态", "Pregnant state", "怀孕", "妊娠", "孕期", "pregnant",
         "pregnancy"),
    _icd("Z34", "pregnancy", "正常妊娠监督", "Supervision of normal pregnancy"),
    _icd("O09", "pregnancy_complicated", "高危妊娠", "High-risk pregnancy", "高危孕妇"),
    _icd("O14", "pregnancy_complicated", "子痫前期", "Pre-eclampsia", "先兆子痫"),
    _icd("O44", "pregnancy_complicated", "前置胎盘", "Placenta praevia"),
    _icd("O60", "pregnancy_complicated", "早产临产", "Preterm labour", "先兆早产"),
    # --- eyes --------------------------------------------------------------------------
    _icd("H52.1", "myopia", "近视", "Myopia", "近视眼"),
    _icd("H44.2", "high_myopia", "高度近视(变性近视)", "Degenerative (high) myopia", "高度近视",
         "high myopia", "病理性近视"),
    _icd("H33", "retinal_detachment", "视网膜脱离", "Retinal detachment", "视网膜脱落"),
)

MEDICATIONS: tuple[Code, ...] = (
    _atc("C07", "beta_blocker", "β受体阻滞剂", "Beta blocker", "beta blocker", "β阻滞剂",
         "美托洛尔", "metoprolol", "倍他乐克", "比索洛尔", "bisoprolol", "康忻", "阿替洛尔",
         "atenolol", "卡维地洛", "carvedilol", "普萘洛尔", "propranolol", "心得安", "奈必洛尔",
         "nebivolol"),
    _atc("C08D", "non_dhp_ccb", "非二氢吡啶类钙拮抗剂", "Non-dihydropyridine calcium-channel blocker",
         "维拉帕米", "verapamil", "地尔硫卓", "地尔硫䓬", "diltiazem"),
    _atc("C08C", "dhp_ccb", "二氢吡啶类钙拮抗剂", "Dihydropyridine calcium-channel blocker",
         "氨氯地平", "amlodipine", "络活喜", "硝苯地平", "nifedipine", "非洛地平", "felodipine",
         "左旋氨氯地平", "levamlodipine"),
    _atc("C09A", "ace_inhibitor", "血管紧张素转换酶抑制剂", "ACE inhibitor", "ACEI", "依那普利",
         "enalapril", "贝那普利", "benazepril", "培哚普利", "perindopril", "卡托普利", "captopril"),
    _atc("C09C", "arb", "血管紧张素受体拮抗剂", "Angiotensin receptor blocker", "ARB", "缬沙坦",
         "valsartan", "氯沙坦", "losartan", "厄贝沙坦", "irbesartan", "替米沙坦", "telmisartan",
         "坎地沙坦", "candesartan", "奥美沙坦", "olmesartan"),
    _atc("C03", "diuretic", "利尿剂", "Diuretic", "氢氯噻嗪", "hydrochlorothiazide", "吲达帕胺",
         "indapamide", "呋塞米", "furosemide", "速尿", "螺内酯", "spironolactone"),
    _atc("C02CA", "alpha_blocker", "α受体阻滞剂", "Alpha blocker", "多沙唑嗪", "doxazosin",
         "特拉唑嗪", "terazosin", "哌唑嗪", "prazosin"),
    _atc("G04CA", "alpha_blocker", "α受体阻滞剂(前列腺)", "Alpha blocker (prostate)", "坦索罗辛",
         "tamsulosin", "哈乐"),
    _atc("C01DA", "nitrate", "硝酸酯类", "Organic nitrate", "硝酸甘油", "nitroglycerin",
         "glyceryl trinitrate", "单硝酸异山梨酯", "isosorbide mononitrate", "硝酸异山梨酯",
         "isosorbide dinitrate"),
    _atc("C10AA", "statin", "他汀类", "Statin", "阿托伐他汀", "atorvastatin", "立普妥", "瑞舒伐他汀",
         "rosuvastatin", "辛伐他汀", "simvastatin", "普伐他汀", "pravastatin", "匹伐他汀",
         "pitavastatin"),
    _atc("B01AA", "anticoagulant", "维生素K拮抗剂", "Vitamin K antagonist", "华法林", "warfarin"),
    _atc("B01AF", "anticoagulant", "Xa因子抑制剂", "Factor Xa inhibitor", "利伐沙班",
         "rivaroxaban", "阿哌沙班", "apixaban", "艾多沙班", "edoxaban"),
    _atc("B01AE", "anticoagulant", "凝血酶抑制剂", "Direct thrombin inhibitor", "达比加群",
         "dabigatran"),
    _atc("B01AC", "antiplatelet", "抗血小板药", "Antiplatelet", "阿司匹林", "aspirin", "氯吡格雷",
         "clopidogrel", "替格瑞洛", "ticagrelor"),
    _atc("A10A", "insulin", "胰岛素", "Insulin", "insulin", "甘精胰岛素", "insulin glargine",
         "门冬胰岛素", "insulin aspart", "赖脯胰岛素", "insulin lispro", "地特胰岛素",
         "insulin detemir", "德谷胰岛素", "insulin degludec", "预混胰岛素", "premixed insulin",
         "诺和锐", "来得时"),
    _atc("A10BB", "sulfonylurea", "磺脲类", "Sulfonylurea", "格列本脲", "glibenclamide",
         "glyburide", "格列齐特", "gliclazide", "达美康", "格列美脲", "glimepiride", "亚莫利",
         "格列吡嗪", "glipizide", "格列喹酮", "gliquidone"),
    _atc("A10BX02", "glinide", "瑞格列奈", "Repaglinide", "repaglinide", "诺和龙"),
    _atc("A10BX03", "glinide", "那格列奈", "Nateglinide", "nateglinide"),
    _atc("A10BA", "metformin", "双胍类", "Biguanide", "二甲双胍", "metformin", "格华止"),
    _atc("A10BF", "other_glucose_lowering", "α-糖苷酶抑制剂", "Alpha-glucosidase inhibitor",
         "阿卡波糖", "acarbose", "拜糖平"),
    _atc("A10BH", "other_glucose_lowering", "DPP-4抑制剂", "DPP-4 inhibitor", "西格列汀",
         "sitagliptin", "利格列汀", "linagliptin"),
    _atc("A10BJ", "other_glucose_lowering", "GLP-1受体激动剂", "GLP-1 receptor agonist",
         "利拉鲁肽", "liraglutide", "司美格鲁肽", "semaglutide"),
    _atc("A10BK", "other_glucose_lowering", "SGLT2抑制剂", "SGLT2 inhibitor", "达格列净",
         "dapagliflozin", "恩格列净", "empagliflozin"),
    _atc("R03AC", "saba", "短效β2受体激动剂", "Short-acting beta-2 agonist", "SABA", "沙丁胺醇",
         "salbutamol", "albuterol", "万托林", "特布他林", "terbutaline"),
    _atc("R03AK", "inhaled_controller", "ICS/LABA复方吸入剂", "ICS/LABA inhaler",
         "沙美特罗替卡松", "舒利迭", "布地奈德福莫特罗", "信必可"),
    _atc("R03BA", "inhaled_controller", "吸入糖皮质激素", "Inhaled corticosteroid", "ICS",
         "布地奈德", "budesonide", "氟替卡松", "fluticasone"),
    _atc("R03BB", "inhaled_controller", "长效抗胆碱能吸入剂", "Inhaled anticholinergic (LAMA)",
         "LAMA", "噻托溴铵", "tiotropium", "思力华"),
    _atc("N05C", "sedative_hypnotic", "镇静催眠药", "Hypnotic or sedative", "唑吡坦", "zolpidem",
         "艾司唑仑", "estazolam", "佐匹克隆", "zopiclone"),
    _atc("N05BA", "sedative_hypnotic", "苯二氮䓬类", "Benzodiazepine", "地西泮", "diazepam",
         "安定", "阿普唑仑", "alprazolam", "劳拉西泮", "lorazepam"),
    _atc("N06A", "antidepressant", "抗抑郁药", "Antidepressant", "舍曲林", "sertraline",
         "帕罗西汀", "paroxetine", "艾司西酞普兰", "escitalopram"),
    _atc("H02AB", "systemic_glucocorticoid", "全身用糖皮质激素", "Systemic glucocorticoid",
         "泼尼松", "prednisone", "甲泼尼龙", "methylprednisolone", "地塞米松", "dexamethasone"),
)

# --- groupings used by derived facts (engine) and by the rule set -----------------------

ACSM_DISEASE_GROUPS: frozenset[str] = frozenset({
    # cardiovascular (cardiac, peripheral vascular, cerebrovascular)
    "coronary_heart_disease", "unstable_angina", "acute_myocardial_infarction",
    "heart_failure", "decompensated_heart_failure", "atrial_fibrillation",
    "uncontrolled_arrhythmia", "pacemaker", "acute_myocarditis_pericarditis",
    "acute_endocarditis", "aortic_stenosis", "hypertrophic_cardiomyopathy", "aortic_aneurysm",
    "aortic_dissection", "cerebrovascular_disease", "peripheral_artery_disease",
    # metabolic (type 1 / type 2 diabetes)
    "type1_diabetes", "type2_diabetes", "diabetes_unspecified",
    # renal
    "chronic_kidney_disease", "acute_kidney_injury", "dialysis",
})
"""Known cardiovascular, metabolic or renal disease in the ACSM 2015 algorithm
(domain.md §1.1): hypertension, obesity and dyslipidaemia are risk factors, not disease."""

CN2025_DISEASE_GROUPS: frozenset[str] = ACSM_DISEASE_GROUPS | frozenset({
    "hypertension",                                              # cardiovascular
    "copd", "asthma", "asthma_uncontrolled", "exercise_induced_bronchoconstriction",
    "interstitial_lung_disease", "cystic_fibrosis",              # pulmonary
    "obesity", "hyperthyroidism",                                # metabolic abnormality
})
"""Disease under the Chinese 2025 clinical consensus footnote (domain.md §1.3). Measured
adult obesity (``bmi_class == obese``) counts too; that needs the BMI, so the engine adds it."""

HR_ALTERING_MEDICATION_GROUPS: frozenset[str] = frozenset({"beta_blocker", "non_dhp_ccb"})
"""Drugs that lower resting and exercise heart rate so that age-predicted targets are
invalid (domain.md §2.6: β-blockers [BB]; non-dihydropyridine CCBs [GEK])."""

SECRETAGOGUE_GROUPS: frozenset[str] = frozenset({"insulin", "sulfonylurea", "glinide"})
"""Glucose-lowering drugs that can cause hypoglycaemia during or after exercise: the
§1.7 pre-exercise glucose check applies (domain.md §1.7, §4.3)."""

DIABETES_GROUPS: frozenset[str] = frozenset({"type1_diabetes", "type2_diabetes",
                                             "diabetes_unspecified"})

_ICD_PATTERN = re.compile(r"^[A-Z]\d{2}(\.[0-9X]{1,4}[A-Z0-9]*)?$")  # also 国家临床版 I10.x00x002
_ATC_PATTERN = re.compile(r"^[A-Z]\d{2}[A-Z]{0,2}\d{0,2}$")


def _index(table: tuple[Code, ...]) -> dict[str, Code]:
    idx: dict[str, Code] = {}
    for c in table:
        for key in (c.code, c.group, c.label_zh, c.label_en, *c.synonyms):
            idx[key.casefold()] = c
    return idx


_COND = _index(CONDITIONS)
_MED = _index(MEDICATIONS)
_COND_CODES = {c.code.upper(): c for c in CONDITIONS}
_MED_CODES = {c.code.upper(): c for c in MEDICATIONS}


def _by_prefix(text: str, codes: dict[str, Code], pattern: re.Pattern[str]) -> Code | None:
    """Longest listed code that prefixes ``text`` (``E11.9`` → ``E11``; ``C07AB02`` → ``C07``)."""
    key = text.strip().upper()
    if not pattern.match(key):
        return None
    for end in range(len(key), 2, -1):
        hit = codes.get(key[:end].rstrip("."))
        if hit is not None:
            return hit
    return None


def lookup_condition(text: str) -> Code | None:
    """The condition row for a code, label, synonym or group key (``None`` if unknown)."""
    return _COND.get(text.strip().casefold()) or _by_prefix(text, _COND_CODES, _ICD_PATTERN)


def lookup_medication(text: str) -> Code | None:
    """The medication row for an ATC code or prefix, a drug name or a group key."""
    return _MED.get(text.strip().casefold()) or _by_prefix(text, _MED_CODES, _ATC_PATTERN)


def group_for(value: str) -> str | None:
    """The group key a rule's ``has`` value stands for: a group key, ICD-10 code or ATC
    prefix (``I10`` → ``hypertension``, ``C07AB02`` → ``beta_blocker``)."""
    hit = lookup_condition(value) or lookup_medication(value)
    return hit.group if hit else None


CONDITION_GROUPS: frozenset[str] = frozenset(c.group for c in CONDITIONS)
MEDICATION_GROUPS: frozenset[str] = frozenset(c.group for c in MEDICATIONS)


Resolved = tuple[tuple[str, ...] | None, list[InputProblem]]


def _resolve(items: Iterable[str], lookup: Callable[[str], Code | None], name: str,
             row: int | None) -> Resolved:
    found: list[str] = []
    probs: list[InputProblem] = []
    for item in items:
        c = lookup(item)
        if c is None:
            probs.append(InputProblem(name, item, "unknown code or synonym", row,
                                      _suggest(item, name)))
        elif c.group not in found:
            found.append(c.group)
    return (tuple(found) if not probs else None), probs


def _suggest(item: str, name: str) -> str:
    from difflib import get_close_matches

    keys = list(_COND if name == "conditions" else _MED)
    hints = get_close_matches(item.casefold(), keys, n=3, cutoff=0.6)
    kind = "ICD-10 code" if name == "conditions" else "ATC code or drug name"
    shown = " or ".join(repr(h) for h in hints)
    return f"an {kind} or a listed synonym" + (f"; did you mean {shown}?" if hints else "")


def resolve_conditions(items: list[str], row: int | None = None) -> Resolved:
    """Map codes or synonyms to condition groups; returns (groups, problems)."""
    return _resolve(items, lookup_condition, "conditions", row)


def resolve_medications(items: list[str], row: int | None = None) -> Resolved:
    """Map ATC codes/prefixes or drug names to medication groups; returns (groups, problems)."""
    return _resolve(items, lookup_medication, "medications", row)


def resolve_symptoms(items: list[str], row: int | None = None) -> Resolved:
    """ACSM codes pass through; free text is kept for the engine's symptom mapper.

    Nothing is rejected here: a symptom the lexicon does not understand must reach a
    clinician (``prescribe.symptoms.unmapped``), not vanish as an input error.
    """
    return tuple(items), []


__all__ = ["ACSM_DISEASE_GROUPS", "ACSM_WARNING_SIGNS", "CN2025_DISEASE_GROUPS", "CONDITIONS",
           "CONDITION_GROUPS", "DIABETES_GROUPS", "HR_ALTERING_MEDICATION_GROUPS", "MEDICATIONS",
           "MEDICATION_GROUPS", "SECRETAGOGUE_GROUPS", "Code", "group_for", "lookup_condition",
           "lookup_medication", "resolve_conditions", "resolve_medications", "resolve_symptoms"]
