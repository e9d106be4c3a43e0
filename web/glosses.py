"""English glosses of facet values (公文种类, top-level 主题分类, central bodies, kinds of local bodies,
provinces, levels) for English pages, shown beside the Chinese value: 通知 (Notice). Kept as data
tables; a value with no standard English name gets no gloss (the Chinese stands alone)."""
from __future__ import annotations

import re

from markupsafe import Markup

from .i18n import lang

# The 15 kinds of GB/T 9704-2012 and the other names documents give themselves (ingest.metadata.kinds).
DOC_TYPES = {
    "决议": "Resolution", "决定": "Decision", "命令": "Order", "令": "Order", "公报": "Communiqué",
    "公告": "Announcement", "通告": "Public notice", "意见": "Opinions", "通知": "Notice", "通报": "Circular",
    "报告": "Report", "请示": "Request for instructions", "批复": "Official reply", "议案": "Motion",
    "函": "Letter", "纪要": "Minutes",
    "法": "Law", "法典": "Code", "条例": "Regulations", "规定": "Provisions", "办法": "Measures",
    "细则": "Detailed rules", "规则": "Rules", "解释": "Interpretation", "规划": "Plan", "方案": "Programme",
    "计划": "Plan", "纲要": "Outline", "要点": "Key points", "指南": "Guidelines", "公示": "Public notice",
    "章程": "Charter", "准则": "Norms", "决算": "Final accounts", "预算": "Budget", "表": "Table",
    "答复": "Reply", "其他": "Other",
}

STANDARD_KINDS = ("决议", "决定", "命令", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示", "批复", "议案",
                  "函", "纪要")   # GB/T 9704-2012, in its order
OTHER_KINDS = ("令", "法", "法典", "条例", "规定", "办法", "细则", "规则", "解释", "规划", "方案", "计划", "纲要", "要点",
               "指南", "公示", "章程", "准则", "决算", "预算", "表", "答复")  # names ingest.metadata.kinds also gives

# The top level of the State Council's 主题分类 (topic classification of government information).
TOPICS = {
    "综合政务": "General government affairs", "国民经济管理、国有资产监管": "Economy and state assets",
    "财政、金融、审计": "Finance, banking and audit", "国土资源、能源": "Land, resources and energy",
    "农业、林业、水利": "Agriculture, forestry and water", "工业、交通": "Industry and transport",
    "商贸、海关、旅游": "Trade, customs and tourism", "市场监管、安全生产监管": "Market and work-safety regulation",
    "城乡建设、环境保护": "Urban and rural development, environment", "科技、教育": "Science and education",
    "文化、广电、新闻出版": "Culture, broadcasting and publishing", "卫生、体育": "Health and sport",
    "人口与计划生育、妇女儿童工作": "Population, women and children", "劳动、人事、监察": "Labour, personnel and supervision",
    "公安、安全、司法": "Public security and justice", "民政、扶贫、救灾": "Civil affairs, poverty and disaster relief",
    "民族、宗教": "Ethnic and religious affairs", "对外事务": "Foreign affairs",
    "港澳台侨工作": "Hong Kong, Macao, Taiwan and overseas Chinese", "国防": "National defence", "其他": "Other",
}

# Central bodies by their canonical name (analyzers/dict/agencies.tsv), under their official English names.
AGENCIES = {
    "中共中央": "CPC Central Committee", "中共中央办公厅": "General Office of the CPC Central Committee",
    "中央军事委员会": "Central Military Commission", "全国人民代表大会": "National People's Congress",
    "全国人民代表大会常务委员会": "Standing Committee of the National People's Congress",
    "中国人民政治协商会议全国委员会": "National Committee of the CPPCC", "最高人民法院": "Supreme People's Court",
    "最高人民检察院": "Supreme People's Procuratorate", "国家主席": "President of the PRC",
    "国务院": "State Council", "国务院办公厅": "General Office of the State Council",
    "国务院新闻办公室": "State Council Information Office",
    "国务院国有资产监督管理委员会": "State-owned Assets Supervision and Administration Commission",
    "国务院发展研究中心": "Development Research Center of the State Council",
    "国务院港澳事务办公室": "Hong Kong and Macao Affairs Office", "国务院台湾事务办公室": "Taiwan Affairs Office",
    "国务院侨务办公室": "Overseas Chinese Affairs Office", "国务院法制办公室": "Legislative Affairs Office",
    "国务院机关事务管理局": "Government Offices Administration of the State Council",
    "国家机关事务管理局": "National Government Offices Administration",
    "外交部": "Ministry of Foreign Affairs", "国防部": "Ministry of National Defense",
    "国家发展和改革委员会": "National Development and Reform Commission", "教育部": "Ministry of Education",
    "科学技术部": "Ministry of Science and Technology",
    "工业和信息化部": "Ministry of Industry and Information Technology",
    "国家民族事务委员会": "National Ethnic Affairs Commission", "公安部": "Ministry of Public Security",
    "国家安全部": "Ministry of State Security", "民政部": "Ministry of Civil Affairs", "司法部": "Ministry of Justice",
    "财政部": "Ministry of Finance", "人力资源和社会保障部": "Ministry of Human Resources and Social Security",
    "自然资源部": "Ministry of Natural Resources", "生态环境部": "Ministry of Ecology and Environment",
    "住房和城乡建设部": "Ministry of Housing and Urban-Rural Development", "交通运输部": "Ministry of Transport",
    "水利部": "Ministry of Water Resources", "农业农村部": "Ministry of Agriculture and Rural Affairs",
    "商务部": "Ministry of Commerce", "文化和旅游部": "Ministry of Culture and Tourism",
    "国家卫生健康委员会": "National Health Commission", "退役军人事务部": "Ministry of Veterans Affairs",
    "应急管理部": "Ministry of Emergency Management", "中国人民银行": "People's Bank of China",
    "审计署": "National Audit Office", "海关总署": "General Administration of Customs",
    "国家税务总局": "State Taxation Administration", "国家市场监督管理总局": "State Administration for Market Regulation",
    "国家金融监督管理总局": "National Financial Regulatory Administration",
    "中国证券监督管理委员会": "China Securities Regulatory Commission",
    "国家广播电视总局": "National Radio and Television Administration",
    "国家体育总局": "General Administration of Sport", "国家信访局": "National Public Complaints and Proposals Administration",
    "国家统计局": "National Bureau of Statistics", "国家知识产权局": "National Intellectual Property Administration",
    "国家国际发展合作署": "China International Development Cooperation Agency",
    "国家医疗保障局": "National Healthcare Security Administration", "中国科学院": "Chinese Academy of Sciences",
    "中国社会科学院": "Chinese Academy of Social Sciences", "中国工程院": "Chinese Academy of Engineering",
    "中国气象局": "China Meteorological Administration",
    "国家粮食和物资储备局": "National Food and Strategic Reserves Administration",
    "国家能源局": "National Energy Administration", "国家数据局": "National Data Administration",
    "国家国防科技工业局": "State Administration of Science, Technology and Industry for National Defense",
    "国家烟草专卖局": "State Tobacco Monopoly Administration", "国家移民管理局": "National Immigration Administration",
    "国家林业和草原局": "National Forestry and Grassland Administration", "国家铁路局": "National Railway Administration",
    "中国民用航空局": "Civil Aviation Administration of China", "国家邮政局": "State Post Bureau",
    "国家文物局": "National Cultural Heritage Administration",
    "国家中医药管理局": "National Administration of Traditional Chinese Medicine",
    "国家疾病预防控制局": "National Disease Control and Prevention Administration",
    "国家矿山安全监察局": "National Mine Safety Administration", "国家消防救援局": "National Fire and Rescue Administration",
    "国家外汇管理局": "State Administration of Foreign Exchange", "国家药品监督管理局": "National Medical Products Administration",
    "国家档案局": "National Archives Administration", "国家保密局": "National Administration of State Secrets Protection",
    "国家宗教事务局": "State Administration for Religious Affairs", "国家新闻出版署": "National Press and Publication Administration",
    "国家网信办": "Cyberspace Administration of China", "国家乡村振兴局": "National Rural Revitalization Administration",
    "国家标准化管理委员会": "Standardization Administration of China", "国家航天局": "China National Space Administration",
    "国家原子能机构": "China Atomic Energy Authority", "国家核安全局": "National Nuclear Safety Administration",
    "卫生部": "Ministry of Health", "国家卫生和计划生育委员会": "National Health and Family Planning Commission",
    "国家工商行政管理总局": "State Administration for Industry and Commerce",
    "国家质量监督检验检疫总局": "General Administration of Quality Supervision, Inspection and Quarantine",
    "国家食品药品监督管理总局": "China Food and Drug Administration",
    "国家安全生产监督管理总局": "State Administration of Work Safety", "铁道部": "Ministry of Railways",
    "交通部": "Ministry of Communications", "国土资源部": "Ministry of Land and Resources",
    "环境保护部": "Ministry of Environmental Protection", "文化部": "Ministry of Culture",
    "国家旅游局": "China National Tourism Administration", "建设部": "Ministry of Construction",
    "人事部": "Ministry of Personnel", "劳动和社会保障部": "Ministry of Labour and Social Security",
    "中国银行业监督管理委员会": "China Banking Regulatory Commission",
    "中国保险监督管理委员会": "China Insurance Regulatory Commission",
    "中国银行保险监督管理委员会": "China Banking and Insurance Regulatory Commission",
    "国家新闻出版广电总局": "State Administration of Press, Publication, Radio, Film and Television",
    "中华全国总工会": "All-China Federation of Trade Unions", "中华全国妇女联合会": "All-China Women's Federation",
    "中国残疾人联合会": "China Disabled Persons' Federation", "中国科学技术协会": "China Association for Science and Technology",
    "中国共产主义青年团中央委员会": "Central Committee of the Communist Youth League",
}

# Local bodies by what their name ends with (longest first): the kind of body, the place stays in Chinese.
_LOCAL_KINDS = {
    "人民代表大会常务委员会": "Standing Committee of the People's Congress", "人民代表大会": "People's Congress",
    "人民政府办公厅": "General Office of the People's Government",
    "人民政府办公室": "General Office of the People's Government", "人民政府": "People's Government",
    "发展和改革委员会": "Development and Reform Commission", "财政厅": "Department of Finance",
    "财政局": "Finance Bureau", "教育厅": "Department of Education", "教育局": "Education Bureau",
    "公安厅": "Department of Public Security", "公安局": "Public Security Bureau", "民政局": "Civil Affairs Bureau",
    "卫生健康委员会": "Health Commission", "市场监督管理局": "Market Regulation Bureau",
    "生态环境局": "Ecology and Environment Bureau", "自然资源局": "Natural Resources Bureau",
    "住房和城乡建设局": "Housing and Urban-Rural Development Bureau", "交通运输局": "Transport Bureau",
    "人力资源和社会保障局": "Human Resources and Social Security Bureau", "统计局": "Statistics Bureau",
    "审计局": "Audit Bureau", "税务局": "Tax Bureau", "人民法院": "People's Court", "人民检察院": "People's Procuratorate",
    "监管局": "Regulatory Bureau", "监管分局": "Regulatory Sub-bureau",
}
_LOCAL_ENDINGS = sorted(_LOCAL_KINDS, key=len, reverse=True)

PROVINCES = {
    "北京市": "Beijing", "天津市": "Tianjin", "河北省": "Hebei", "山西省": "Shanxi", "内蒙古自治区": "Inner Mongolia",
    "辽宁省": "Liaoning", "吉林省": "Jilin", "黑龙江省": "Heilongjiang", "上海市": "Shanghai", "江苏省": "Jiangsu",
    "浙江省": "Zhejiang", "安徽省": "Anhui", "福建省": "Fujian", "江西省": "Jiangxi", "山东省": "Shandong",
    "河南省": "Henan", "湖北省": "Hubei", "湖南省": "Hunan", "广东省": "Guangdong", "广西壮族自治区": "Guangxi",
    "海南省": "Hainan", "重庆市": "Chongqing", "四川省": "Sichuan", "贵州省": "Guizhou", "云南省": "Yunnan",
    "西藏自治区": "Tibet", "陕西省": "Shaanxi", "甘肃省": "Gansu", "青海省": "Qinghai", "宁夏回族自治区": "Ningxia",
    "新疆维吾尔自治区": "Xinjiang", "台湾省": "Taiwan", "香港特别行政区": "Hong Kong", "澳门特别行政区": "Macao",
}
LEVELS = {"国家": "National", "省": "Provincial", "市": "Prefecture / city", "县": "County"}

_SEP = re.compile(r"\s*[\\＼]+\s*")


def parts(value: str) -> list[str]:
    """The levels of a hierarchical value (主题分类 监管\\工商, also written with a doubled backslash;
    地区 河北省\\邯郸市), empty levels dropped."""
    return [p for p in _SEP.split(value or "") if p]


def path(value: str) -> str:
    """A hierarchical value as people read it: 监管 › 工商."""
    return " › ".join(parts(value))


def english(value: str, name: str) -> str:
    """The English name of a facet `name`'s value, or '' when there is no standard one."""
    levels = parts(value)
    if not levels:
        return ""
    if name == "doc_type":
        return DOC_TYPES.get(value, "")
    if name == "topic":
        return TOPICS.get(levels[0], "")
    if name == "level":
        return LEVELS.get(value, "")
    if name == "region":
        return PROVINCES.get(levels[0], "") if len(levels) == 1 else ""
    if name == "agency":
        if value in AGENCIES:
            return AGENCIES[value]
        return next((_LOCAL_KINDS[e] for e in _LOCAL_ENDINGS if value.endswith(e) and value != e), "")
    return ""


def shown(value: object, name: str, html: bool = True) -> str:
    """A facet value as pages show it: hierarchy with ›, and on English pages its gloss, 通知 (Notice)
    (as HTML: the Chinese marked as such, the gloss in a span of class `gloss`; else as plain text)."""
    text = path(str(value))
    if lang() != "en":
        return text
    gloss = english(str(value), name)
    if not html:
        return f"{text} ({gloss})" if gloss else text
    out = Markup('<span lang="zh-CN">%s</span>') % text
    return out + Markup(' <span class="gloss">(%s)</span>') % gloss if gloss else out
