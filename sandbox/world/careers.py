"""Career vocabularies: companies, schools, degrees, professional tracks and profile extras."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Company:
    name: str
    domain: str
    industry: str
    size: str
    sector: str


def _pipe_separated(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split("|"))


def _companies(sector: str, industry: str, size: str, rows: str) -> list[Company]:
    """Rows are "Name=domain" pairs separated by "|"."""
    out = []
    for row in rows.split("|"):
        name, domain = row.strip().split("=")
        out.append(Company(name.strip(), domain.strip(), industry, size, sector))
    return out


# Large employers first: samplers give earlier companies more people (many share an employer).
_BIG = [
    *_companies("tech", "Software Development", "10001+",
        "Amazon=amazon.com|Microsoft=microsoft.com|Google=google.com|Oracle=oracle.com|"
        "Salesforce=salesforce.com|Meta=meta.com|Adobe=adobe.com|Intuit=intuit.com|"
        "ServiceNow=servicenow.com|Workday=workday.com|VMware=vmware.com|Uber=uber.com|"
        "Netflix=netflix.com|PayPal=paypal.com|SAP=sap.com|Epic Systems=epic.com"),
    *_companies("consulting", "IT Services and IT Consulting", "10001+",
        "Accenture=accenture.com|IBM=ibm.com|Cognizant=cognizant.com|Infosys=infosys.com|"
        "Tata Consultancy Services=tcs.com|Wipro=wipro.com|HCLTech=hcltech.com|"
        "Capgemini=capgemini.com|CGI=cgi.com|EPAM Systems=epam.com|Booz Allen Hamilton=bah.com|"
        "Leidos=leidos.com|SAIC=saic.com"),
    *_companies("consulting", "Business Consulting and Services", "10001+",
        "Deloitte=deloitte.com|PwC=pwc.com|EY=ey.com|KPMG=kpmg.com"),
    *_companies("finance", "Financial Services", "10001+",
        "JPMorgan Chase & Co.=jpmchase.com|Bank of America=bofa.com|Wells Fargo=wellsfargo.com|"
        "Citi=citi.com|Capital One=capitalone.com|Goldman Sachs=gs.com|"
        "Morgan Stanley=morganstanley.com|American Express=aexp.com|Fidelity Investments=fmr.com|"
        "Charles Schwab=schwab.com|Visa=visa.com|Mastercard=mastercard.com|ADP=adp.com|"
        "Deutsche Bank=db.com|BNP Paribas=bnpparibas.com|Société Générale=socgen.com"),
    *_companies("health", "Hospitals and Health Care", "10001+",
        "Kaiser Permanente=kp.org|HCA Healthcare=hcahealthcare.com|UnitedHealth Group=uhg.com|"
        "CVS Health=cvshealth.com|Mayo Clinic=mayo.edu|Cleveland Clinic=ccf.org|"
        "Johns Hopkins Medicine=jhmi.edu|Mount Sinai Health System=mountsinai.org|"
        "NYU Langone Health=nyulangone.org|Providence=providence.org|Ascension=ascension.org|"
        "CommonSpirit Health=commonspirit.org|Northwell Health=northwell.edu|"
        "Tenet Healthcare=tenethealth.com|Banner Health=bannerhealth.com"),
    *_companies("insurance", "Insurance", "10001+",
        "State Farm=statefarm.com|Allstate=allstate.com|Progressive=progressive.com|"
        "Liberty Mutual=libertymutual.com|Nationwide=nationwide.com|MetLife=metlife.com|"
        "Cigna=cigna.com|Humana=humana.com|Aetna=aetna.com|Elevance Health=elevancehealth.com"),
    *_companies("retail", "Retail", "10001+",
        "Walmart=walmart.com|Target=target.com|The Home Depot=homedepot.com|Lowe's=lowes.com|"
        "Costco Wholesale=costco.com|Kroger=kroger.com|Best Buy=bestbuy.com|"
        "Walgreens=walgreens.com"),
    *_companies("telecom", "Telecommunications", "10001+",
        "Verizon=verizon.com|AT&T=att.com|T-Mobile=t-mobile.com|Comcast=comcast.com|"
        "Charter Communications=charter.com|Ericsson=ericsson.com|Nokia=nokia.com"),
    *_companies("manufacturing", "Aviation and Aerospace Component Manufacturing", "10001+",
        "Boeing=boeing.com|Lockheed Martin=lmco.com|RTX=rtx.com|Northrop Grumman=ngc.com|"
        "General Dynamics=gd.com|GE Aerospace=ge.com|Honeywell=honeywell.com"),
    *_companies("manufacturing", "Motor Vehicle Manufacturing", "10001+",
        "Ford Motor Company=ford.com|General Motors=gm.com|Tesla=tesla.com|BMW Group=bmw.de|"
        "Bosch=bosch.com|Hyundai Motor Company=hyundai.com|Stellantis=stellantis.com"),
    *_companies("manufacturing", "Appliances, Electrical, and Electronics Manufacturing",
        "10001+",
        "Siemens=siemens.com|Samsung Electronics=samsung.com|LG Electronics=lge.com|"
        "Philips=philips.com|3M=mmm.com|Caterpillar=cat.com|Intel=intel.com|Cisco=cisco.com|"
        "Dell Technologies=dell.com|HP=hp.com|Apple=apple.com|Lenovo=lenovo.com"),
    *_companies("pharma", "Pharmaceutical Manufacturing", "10001+",
        "Pfizer=pfizer.com|Johnson & Johnson=its.jnj.com|Merck=merck.com|AbbVie=abbvie.com|"
        "Bristol Myers Squibb=bms.com|McKesson=mckesson.com|Cardinal Health=cardinalhealth.com"),
    *_companies("logistics", "Truck Transportation", "10001+",
        "FedEx=fedex.com|UPS=ups.com|XPO=xpo.com|C.H. Robinson=chrobinson.com"),
    *_companies("energy", "Oil and Gas", "10001+",
        "ExxonMobil=exxonmobil.com|Chevron=chevron.com|Shell=shell.com|"
        "Duke Energy=duke-energy.com"),
    *_companies("consumer", "Manufacturing", "10001+",
        "Procter & Gamble=pg.com|PepsiCo=pepsico.com|The Coca-Cola Company=coca-cola.com|"
        "L'Oréal=loreal.com|Nestlé=nestle.com"),
    *_companies("staffing", "Staffing and Recruiting", "10001+",
        "Randstad=randstad.com|Robert Half=roberthalf.com|Insight Global=insightglobal.com|"
        "TEKsystems=teksystems.com|Kforce=kforce.com|Adecco=adecco.com"),
    *_companies("government", "Government Administration", "10001+",
        "U.S. Department of Veterans Affairs=va.gov|State of California=ca.gov|"
        "City of Chicago=cityofchicago.org|New York City Department of Education=schools.nyc.gov"),
    *_companies("education", "Higher Education", "10001+",
        "University of Michigan=umich.edu|University of Texas at Austin=utexas.edu|"
        "Arizona State University=asu.edu"),
    *_companies("media", "Entertainment Providers", "10001+",
        "The Walt Disney Company=disney.com|Warner Bros. Discovery=wbd.com"),
    *_companies("international", "IT Services and IT Consulting", "10001+",
        "Alibaba Group=alibaba-inc.com|Tencent=tencent.com|Huawei=huawei.com|"
        "MTN Nigeria=mtn.ng|Dangote Group=dangote.com|Emirates Group=emirates.com|"
        "Luxoft=luxoft.com|ING=ing.com|Naver=navercorp.com|FPT Software=fpt.com"),
]  # fmt: skip

_PREFIXES = _pipe_separated(
    "Blue Ridge|Northwind|Summit|Pioneer|Cascade|Granite|Silverline|Brightpath|Apex|Harborview|"
    "Redwood|Lakeshore|Keystone|Meridian|Crescent|Evergreen|Ironclad|Beacon|Horizon|Sterling|"
    "Trinity|Vertex|Quantum|Catalyst|Nimbus|Bluestone|Clearwater|Highpoint|Riverbend|Oakmont|"
    "Pinnacle|Westfield|Eastgate|Lumen|Stonebridge|Fairway|Copperleaf|Sagebrush|Tidewater|Skyline"
)
# suffix → (sector, industry)
_SUFFIXES = (
    ("Systems", "tech", "IT Services and IT Consulting"),
    ("Analytics", "tech", "Software Development"),
    ("Health", "health", "Hospitals and Health Care"),
    ("Solutions", "consulting", "IT Services and IT Consulting"),
    ("Technologies", "tech", "Software Development"),
    ("Labs", "tech", "Software Development"),
    ("Consulting Group", "consulting", "Business Consulting and Services"),
    ("Financial", "finance", "Financial Services"),
    ("Logistics", "logistics", "Transportation, Logistics, Supply Chain and Storage"),
    ("Software", "tech", "Software Development"),
    ("Partners", "consulting", "Business Consulting and Services"),
    ("Medical Center", "health", "Hospitals and Health Care"),
    ("Manufacturing", "manufacturing", "Industrial Machinery Manufacturing"),
    ("Data", "tech", "Data Infrastructure and Analytics"),
    ("Networks", "telecom", "Telecommunications"),
    ("Insurance", "insurance", "Insurance"),
    ("Capital", "finance", "Investment Management"),
    ("Digital", "media", "Advertising Services"),
    ("Engineering", "manufacturing", "Civil Engineering"),
    ("Pharma", "pharma", "Pharmaceutical Manufacturing"),
    ("Health Partners", "health", "Hospitals and Health Care"),
    ("Retail Group", "retail", "Retail"),
)
_LEGAL_FORMS = ("", "", "", " Inc.", " LLC", ", Inc.", " Corp.", " Group")
_SMALL_SIZES = ("1-10", "11-50", "51-200", "201-500", "501-1000", "1001-5000", "5001-10000")


def _generated_companies(count: int) -> list[Company]:
    """Fictional mid-size and small employers; deterministic, independent of the world seed."""
    out = []
    for i in range(count):
        prefix = _PREFIXES[(i * 7) % len(_PREFIXES)]
        suffix, sector, industry = _SUFFIXES[(i * 5 + i // len(_PREFIXES)) % len(_SUFFIXES)]
        legal = _LEGAL_FORMS[(i * 3) % len(_LEGAL_FORMS)]
        name = f"{prefix} {suffix}{legal}"
        domain = "".join(ch for ch in f"{prefix}{suffix}".lower() if ch.isalnum()) + ".com"
        size = _SMALL_SIZES[(i * 11) % len(_SMALL_SIZES)]
        out.append(Company(name, domain, industry, size, sector))
    # Keep names unique (the arithmetic above can repeat a pair).
    seen: dict[str, int] = {}
    unique = []
    for company in out:
        if company.name in seen:
            continue
        seen[company.name] = 1
        unique.append(company)
    return unique


COMPANIES: tuple[Company, ...] = (*_BIG, *_generated_companies(320))

# Staffing-firm clients seen on job requisitions (a subset of employers).
CLIENT_SECTORS = ("tech", "finance", "health", "insurance", "retail", "telecom", "manufacturing",
                  "pharma", "logistics", "energy", "government", "consulting")  # fmt: skip


@dataclass(frozen=True)
class School:
    name: str
    region: str


def _schools(region: str, names: str) -> list[School]:
    return [School(n.strip(), region) for n in names.split("|")]


SCHOOLS: tuple[School, ...] = (
    *_schools("us",
        "University of Texas at Austin|Texas A&M University|Arizona State University|"
        "Penn State University|The Ohio State University|Purdue University|"
        "University of Illinois Urbana-Champaign|University of Washington|University of Florida|"
        "Rutgers University|New York University|Columbia University|Boston University|"
        "Northeastern University|Carnegie Mellon University|University of Southern California|"
        "San Jose State University|University of Maryland|Virginia Tech|"
        "North Carolina State University|University of Wisconsin-Madison|"
        "University of Minnesota|Indiana University Bloomington|DeVry University|"
        "University of Phoenix|Southern New Hampshire University|Western Governors University|"
        "City University of New York|Miami Dade College|University of Houston|"
        "University of Central Florida|Florida International University|"
        "University of North Texas|Georgia State University|Temple University|Drexel University|"
        "Johns Hopkins University|Chamberlain University|Harvard University|"
        "Massachusetts Institute of Technology|Stanford University|"
        "University of California, Berkeley|University of California, Los Angeles|"
        "University of Michigan|Georgia Institute of Technology|St. John's University"),
    *_schools("in",
        "Indian Institute of Technology, Bombay|Indian Institute of Technology, Madras|"
        "Anna University|Jawaharlal Nehru Technological University|Osmania University|"
        "University of Mumbai|Visvesvaraya Technological University|BITS Pilani|"
        "Vellore Institute of Technology|Andhra University|Savitribai Phule Pune University|"
        "Amity University"),
    *_schools("cn",
        "Tsinghua University|Peking University|Zhejiang University|Fudan University|"
        "Shanghai Jiao Tong University|Wuhan University|Harbin Institute of Technology|"
        "University of Science and Technology of China"),
    *_schools("vn",
        "Hanoi University of Science and Technology|Vietnam National University|"
        "Ho Chi Minh City University of Technology"),
    *_schools("kr", "Seoul National University|KAIST|Yonsei University|Korea University"),
    *_schools("latam",
        "Universidad Nacional Autónoma de México|Tecnológico de Monterrey|"
        "Universidad de Buenos Aires|Universidad de los Andes|"
        "Universidad Complutense de Madrid|Pontificia Universidad Católica de Chile"),
    *_schools("arab",
        "Cairo University|American University of Beirut|King Saud University|"
        "University of Jordan|American University of Sharjah|University of Karachi"),
    *_schools("slavic",
        "Lomonosov Moscow State University|Warsaw University of Technology|"
        "Jagiellonian University|Czech Technical University in Prague|"
        "Taras Shevchenko National University of Kyiv|University of Belgrade"),
    *_schools("ng",
        "University of Lagos|University of Ibadan|Obafemi Awolowo University|"
        "University of Nigeria, Nsukka|Covenant University"),
    *_schools("de",
        "Technische Universität München|RWTH Aachen University|"
        "Karlsruher Institut für Technologie|Humboldt-Universität zu Berlin|"
        "Ludwig-Maximilians-Universität München"),
    *_schools("fr",
        "École Polytechnique|Sorbonne Université|Université Paris-Saclay|"
        "CentraleSupélec|INSA Lyon|HEC Paris|Université de Montréal"),
    *_schools("nl",
        "Delft University of Technology|University of Amsterdam|"
        "Eindhoven University of Technology|Utrecht University"),
)  # fmt: skip

BACHELOR_DEGREES = (
    "Bachelor of Science (B.S.)", "BS", "Bachelor of Science - BS", "B.Tech",
    "Bachelor of Engineering - BE", "Bachelor of Arts (B.A.)", "BA", "Bachelor's degree",
    "B.Sc.", "Bachelor of Technology (B.Tech.)",
)  # fmt: skip
MASTER_DEGREES = (
    "Master of Science (M.S.)", "MS", "Master of Science - MS", "MBA",
    "Master of Business Administration - MBA", "M.Tech", "Master's degree", "M.Sc.", "MCA",
)  # fmt: skip
OTHER_DEGREES = (
    "Ph.D.", "Doctor of Philosophy - PhD", "Associate of Applied Science (AAS)",
    "Associate's degree", "Certificate", "Diploma", "Graduate Certificate",
)  # fmt: skip


@dataclass(frozen=True)
class Track:
    key: str
    weight: float
    titles: tuple[tuple[str, ...], ...]  # by seniority level 0..4
    skills: tuple[str, ...]
    certifications: tuple[str, ...]
    majors: tuple[str, ...]
    sectors: tuple[str, ...] | None  # employer sectors; None = any
    duties: tuple[str, ...]  # resume bullet templates; {skill} is filled in


def _levels(text: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(t.strip() for t in level.split("|")) for level in text.split("//"))


_items = _pipe_separated


TRACKS: tuple[Track, ...] = (
    Track("software", 0.22,
        _levels("Junior Software Engineer|Software Developer|Associate Software Engineer|"
                "Programmer Analyst//Software Engineer|Software Developer II|Java Developer|"
                ".NET Developer|Full Stack Developer|Front End Developer|Python Developer//"
                "Senior Software Engineer|Senior Java Developer|Sr. .NET Developer|"
                "Senior Full Stack Engineer|Lead Developer|Sr. Software Engineer//"
                "Staff Software Engineer|Principal Engineer|Technical Lead|Software Architect//"
                "Engineering Manager|Director of Engineering|VP of Engineering"),
        _items("Java|Spring Boot|Python|C++|C#|.NET|.NET Core|ASP.NET MVC|Node.js|React|Angular|"
               "Vue.js|TypeScript|JavaScript|Go|Kotlin|Scala|SQL|PostgreSQL|MySQL|MongoDB|Redis|"
               "Kafka|REST APIs|GraphQL|Microservices|Docker|Kubernetes|AWS|Azure|Git|Jenkins|"
               "Hibernate|JUnit|HTML5|CSS3|Ruby on Rails|PHP|Swift|Objective-C|Rust|gRPC"),
        _items("Oracle Certified Professional, Java SE 11 Developer|"
               "AWS Certified Developer – Associate|"
               "Microsoft Certified: Azure Developer Associate|"
               "Certified Kubernetes Application Developer (CKAD)|MongoDB Certified Developer|"
               "Google Associate Cloud Engineer"),
        _items("Computer Science|Computer Engineering|Software Engineering|"
               "Information Technology|Electrical Engineering|Mathematics"),
        None,
        _items("Designed and built {skill} services handling millions of requests per day|"
               "Migrated legacy modules to {skill}, cutting release time by 40%|"
               "Led code reviews and mentored junior developers on {skill} & testing practices|"
               "Implemented CI/CD pipelines with {skill} and automated unit tests|"
               "Optimized SQL queries and caching, reducing page load time from 3s to <1s|"
               "Built REST & GraphQL APIs in {skill} consumed by web and mobile clients")),
    Track("data", 0.09,
        _levels("Data Analyst|Junior Data Analyst|Reporting Analyst//BI Developer|"
                "Data Engineer|Data Analyst II|ETL Developer//Senior Data Engineer|"
                "Data Scientist|Senior BI Developer|Analytics Engineer//Lead Data Scientist|"
                "Machine Learning Engineer|Data Architect//Director of Data Science|"
                "Head of Analytics"),
        _items("SQL|Python|R|Tableau|Power BI|Spark|Hadoop|Snowflake|Databricks|Airflow|dbt|"
               "pandas|scikit-learn|TensorFlow|PyTorch|Excel|SAS|Informatica|ETL|Redshift|"
               "BigQuery|Looker|Statistics|Machine Learning|NLP|SSIS|SSRS|A/B Testing"),
        _items("Tableau Desktop Specialist|Google Professional Data Engineer|"
               "Databricks Certified Data Engineer Associate|SnowPro Core Certification|"
               "Microsoft Certified: Power BI Data Analyst Associate|"
               "IBM Data Science Professional Certificate"),
        _items("Statistics|Computer Science|Data Science|Mathematics|Economics|Physics"),
        None,
        _items("Built {skill} pipelines loading 2 TB/day into the warehouse|"
               "Created executive dashboards in {skill} used by 300+ stakeholders|"
               "Developed churn & propensity models with {skill}, lifting retention 6%|"
               "Automated manual Excel reporting with {skill}, saving 20 hours a week")),
    Track("devops", 0.07,
        _levels("Systems Administrator|Junior DevOps Engineer|Linux Administrator//"
                "DevOps Engineer|Cloud Engineer|Build & Release Engineer//"
                "Senior DevOps Engineer|Site Reliability Engineer|Senior Cloud Engineer//"
                "Cloud Architect|Principal SRE|Platform Engineering Lead//"
                "Director of Infrastructure|Head of Cloud Operations"),
        _items("AWS|Azure|GCP|Terraform|Ansible|Kubernetes|Docker|Jenkins|GitLab CI|Linux|Bash|"
               "Python|Prometheus|Grafana|Splunk|VMware|Helm|CloudFormation|Networking|"
               "Windows Server|Argo CD|Datadog|PowerShell"),
        _items("AWS Certified Solutions Architect – Associate|"
               "AWS Certified SysOps Administrator – Associate|"
               "Certified Kubernetes Administrator (CKA)|HashiCorp Certified: Terraform Associate|"
               "Red Hat Certified Engineer (RHCE)|"
               "Microsoft Certified: Azure Administrator Associate|CompTIA Linux+"),
        _items("Computer Science|Information Technology|Computer Engineering|"
               "Information Systems"),
        None,
        _items("Provisioned multi-account infrastructure with {skill} and GitOps|"
               "Cut cloud spend 30% by right-sizing clusters and adopting {skill}|"
               "Reduced deployment time from hours to minutes using {skill}|"
               "Built monitoring & alerting with {skill}, lowering MTTR by 50%")),
    Track("qa", 0.05,
        _levels("QA Tester|QA Analyst|Manual Tester//QA Engineer|Test Automation Engineer|"
                "SDET//Senior QA Engineer|Senior SDET|QA Automation Lead//QA Lead|"
                "Test Architect//QA Manager|Director of Quality Engineering"),
        _items("Selenium|Cucumber|TestNG|JUnit|Postman|JMeter|LoadRunner|Jira|Test Automation|"
               "Manual Testing|API Testing|Appium|Cypress|Playwright|SQL|Java|Python|Agile|"
               "BDD|Regression Testing"),
        _items("ISTQB Certified Tester Foundation Level|Certified Software Test Engineer (CSTE)|"
               "ISTQB Advanced Level Test Automation Engineer"),
        _items("Computer Science|Information Technology|Electronics Engineering"),
        None,
        _items("Automated 1,200 regression cases with {skill}, cutting cycle time 70%|"
               "Designed the {skill} test framework adopted by five scrum teams|"
               "Ran performance tests with {skill} & reported bottlenecks to developers")),
    Track("it_support", 0.06,
        _levels("Help Desk Technician|Desktop Support Technician|IT Support Specialist//"
                "IT Support Analyst|Network Administrator|Systems Support Engineer//"
                "Network Engineer|Senior Systems Administrator|Senior Desktop Support Analyst//"
                "Senior Network Engineer|IT Infrastructure Lead//IT Manager|Director of IT"),
        _items("Active Directory|Windows 10|Office 365|ServiceNow|Cisco|TCP/IP|DNS|DHCP|VPN|"
               "Firewalls|Juniper|ITIL|Troubleshooting|SCCM|Intune|VMware|Exchange|Citrix"),
        _items("CompTIA A+|CompTIA Network+|CompTIA Security+|Cisco Certified Network Associate "
               "(CCNA)|Cisco Certified Network Professional (CCNP)|ITIL 4 Foundation|"
               "Microsoft 365 Certified: Modern Desktop Administrator Associate"),
        _items("Information Technology|Computer Networking|Computer Information Systems"),
        None,
        _items("Resolved 60+ tickets a week in {skill} with 98% satisfaction|"
               "Rolled out {skill} to 2,500 endpoints across 12 sites|"
               "Maintained {skill} & network uptime above 99.9%")),
    Track("security", 0.03,
        _levels("Security Analyst|SOC Analyst I//SOC Analyst II|Information Security Analyst//"
                "Cybersecurity Engineer|Senior Security Analyst|Penetration Tester//"
                "Security Architect|Lead Security Engineer//Information Security Manager|CISO"),
        _items("SIEM|Splunk|Nessus|Wireshark|Incident Response|NIST|ISO 27001|"
               "Penetration Testing|CrowdStrike|IAM|Okta|Vulnerability Management|Python|"
               "Threat Hunting|Zero Trust"),
        _items("CISSP|CISM|Certified Ethical Hacker (CEH)|CompTIA Security+|OSCP|GIAC GSEC"),
        _items("Cybersecurity|Computer Science|Information Assurance"),
        None,
        _items("Triaged alerts in {skill} and led incident response for P1 events|"
               "Ran vulnerability scans with {skill} & drove remediation to closure|"
               "Implemented {skill} controls to pass SOC 2 & ISO 27001 audits")),
    Track("project", 0.06,
        _levels("Project Coordinator|Junior Project Manager//Project Manager|Scrum Master|"
                "Product Owner//Senior Project Manager|Program Manager|Product Manager//"
                "Senior Program Manager|Agile Coach|Senior Product Manager//"
                "Director, PMO|VP of Product"),
        _items("Agile|Scrum|Kanban|Jira|Confluence|MS Project|Stakeholder Management|"
               "Risk Management|Budgeting|SAFe|PMO|Waterfall|Roadmapping|Smartsheet"),
        _items("Project Management Professional (PMP)|Certified ScrumMaster (CSM)|PMI-ACP|"
               "SAFe 6 Agilist|PRINCE2 Foundation|CAPM"),
        _items("Business Administration|Management Information Systems|Engineering Management|"
               "Communications"),
        None,
        _items("Delivered a $4M ERP rollout on time & under budget using {skill}|"
               "Coached three teams on {skill}, raising velocity 25%|"
               "Managed risks and dependencies across 8 workstreams in {skill}")),
    Track("business", 0.05,
        _levels("Business Analyst|Junior Business Analyst//Systems Analyst|"
                "Salesforce Administrator|Workday Analyst//Senior Business Analyst|"
                "SAP FICO Consultant|Salesforce Developer|Oracle EBS Consultant//"
                "Lead Business Analyst|Solution Architect//Director of Business Systems"),
        _items("Requirements Gathering|SQL|Visio|UML|SAP FICO|SAP MM|Salesforce|Apex|"
               "Workday HCM|Oracle EBS|Process Mapping|User Stories|UAT|Power BI|Excel"),
        _items("Certified Business Analysis Professional (CBAP)|"
               "Salesforce Certified Administrator|SAP Certified Application Associate|"
               "Workday Pro HCM"),
        _items("Business Administration|Information Systems|Finance|Economics"),
        None,
        _items("Gathered requirements & wrote 150+ user stories for the {skill} rollout|"
               "Configured {skill} workflows for 1,000 users|"
               "Ran UAT with business stakeholders and tracked defects in {skill}")),
    Track("healthcare", 0.12,
        _levels("Certified Nursing Assistant|Medical Assistant|Pharmacy Technician//"
                "Licensed Practical Nurse|Medical Coder|Clinical Research Coordinator//"
                "Registered Nurse|Physical Therapist|Travel Nurse (RN)//Charge Nurse|"
                "Clinical Nurse Specialist|Nurse Practitioner//Nurse Manager|"
                "Director of Nursing"),
        _items("Patient Care|EMR|Epic|Cerner|BLS|ACLS|Medication Administration|Triage|ICD-10|"
               "CPT Coding|HIPAA|Phlebotomy|Vital Signs|Wound Care|Telemetry|ICU|Med-Surg|"
               "Case Management|Meditech|Patient Education"),
        _items("BLS Certification|ACLS|PALS|Registered Nurse (RN) License|"
               "Certified Professional Coder (CPC)|CNA License|CCRN|"
               "Certified Medical Assistant (CMA)"),
        _items("Nursing|Health Sciences|Biology|Public Health|Health Information Management"),
        ("health", "insurance", "pharma", "government"),
        _items("Provided patient care for 5–6 patients per shift on a 32-bed {skill} unit|"
               "Documented assessments & care plans in {skill}|"
               "Precepted new graduate nurses on {skill} protocols|"
               "Coded inpatient & outpatient charts with {skill} at 97% accuracy")),
    Track("finance", 0.08,
        _levels("Accounts Payable Specialist|Accounting Clerk|Bookkeeper//Staff Accountant|"
                "Financial Analyst|Payroll Specialist//Senior Accountant|Senior Financial "
                "Analyst|Internal Auditor//Accounting Manager|FP&A Manager|Assistant Controller//"
                "Controller|CFO|VP of Finance"),
        _items("GAAP|QuickBooks|SAP|Oracle Financials|Excel|Financial Reporting|"
               "Reconciliations|Accounts Payable|Accounts Receivable|Budgeting|Forecasting|"
               "SOX Compliance|Audit|Tax Preparation|NetSuite|Hyperion|VLOOKUP|Month-End Close"),
        _items("Certified Public Accountant (CPA)|Certified Management Accountant (CMA)|"
               "CFA Level I|Enrolled Agent|Certified Internal Auditor (CIA)"),
        _items("Accounting|Finance|Economics|Business Administration"),
        None,
        _items("Closed the books in 4 days instead of 8 by automating {skill} reconciliations|"
               "Prepared monthly P&L and variance analysis in {skill}|"
               "Supported SOX & external audits, documenting {skill} controls")),
    Track("sales", 0.07,
        _levels("Customer Service Representative|Sales Development Representative|"
                "Marketing Coordinator//Account Executive|Sales Representative|"
                "Marketing Specialist//Senior Account Executive|Marketing Manager|"
                "Account Manager//Sales Manager|Senior Marketing Manager|Director of Sales//"
                "VP of Sales|Chief Marketing Officer"),
        _items("Salesforce|HubSpot|Cold Calling|Lead Generation|CRM|B2B Sales|SEO|SEM|"
               "Google Analytics|Content Marketing|Social Media Marketing|Negotiation|"
               "Account Management|Customer Success|Marketo"),
        _items("HubSpot Inbound Marketing Certification|Google Ads Certification|"
               "Salesforce Certified Sales Cloud Consultant"),
        _items("Marketing|Business Administration|Communications|Psychology"),
        None,
        _items("Exceeded quota by 135% using {skill} prospecting|"
               "Grew the territory from $1.2M to $3.4M ARR with {skill}|"
               "Ran {skill} campaigns that doubled inbound leads")),
    Track("hr_admin", 0.05,
        _levels("Administrative Assistant|Receptionist|HR Assistant//Office Manager|"
                "HR Coordinator|Recruiter//HR Generalist|Senior Recruiter|Executive Assistant//"
                "HR Manager|Talent Acquisition Manager//Director of Human Resources|CHRO"),
        _items("Microsoft Office|Scheduling|Data Entry|Onboarding|Payroll|ADP|Workday|"
               "Benefits Administration|Employee Relations|Full-Cycle Recruiting|"
               "Applicant Tracking Systems|Boolean Search|HRIS|JobDiva|Bullhorn"),
        _items("SHRM Certified Professional (SHRM-CP)|PHR|SPHR"),
        _items("Human Resources|Business Administration|Psychology|Communications"),
        None,
        _items("Filled 45 requisitions per quarter using {skill} sourcing|"
               "Onboarded 300+ hires a year through {skill}|"
               "Managed executive calendars, travel & expenses with {skill}")),
    Track("engineering", 0.05,
        _levels("Engineering Technician|Junior Mechanical Engineer//Mechanical Engineer|"
                "Electrical Engineer|Quality Engineer|Process Engineer//Senior Mechanical "
                "Engineer|Manufacturing Engineer|Project Engineer//Principal Engineer|"
                "Engineering Lead//Engineering Manager|Director of R&D"),
        _items("AutoCAD|SolidWorks|CATIA|MATLAB|Six Sigma|Lean Manufacturing|GD&T|FMEA|"
               "PLC Programming|ISO 9001|Root Cause Analysis|CNC|Creo|ANSYS"),
        _items("Six Sigma Green Belt|Six Sigma Black Belt|Professional Engineer (PE)|"
               "Certified SolidWorks Associate (CSWA)|Certified Quality Engineer (CQE)"),
        _items("Mechanical Engineering|Electrical Engineering|Industrial Engineering|"
               "Manufacturing Engineering"),
        ("manufacturing", "energy", "pharma", "consumer", "tech"),
        _items("Designed fixtures in {skill}, reducing scrap 18%|"
               "Led {skill} projects saving $600K a year|"
               "Qualified new production lines per ISO 9001 & {skill} standards")),
    Track("logistics", 0.03,
        _levels("Warehouse Associate|Forklift Operator|Shipping & Receiving Clerk//"
                "Logistics Coordinator|Inventory Specialist//Supply Chain Analyst|"
                "Warehouse Supervisor//Operations Manager|Logistics Manager//"
                "Director of Supply Chain"),
        _items("Forklift|Inventory Management|SAP|WMS|Supply Chain|Shipping & Receiving|OSHA|"
               "Lean|Excel|Cycle Counting|Demand Planning"),
        _items("OSHA 10-Hour|Forklift Operator Certification|APICS CSCP"),
        _items("Supply Chain Management|Logistics|Business Administration"),
        ("logistics", "retail", "manufacturing", "consumer"),
        _items("Picked & packed 250+ orders per shift with 99.8% accuracy|"
               "Cut inventory variance 40% with {skill} cycle counts|"
               "Coordinated inbound freight and {skill} for a 400K sq ft DC")),
)  # fmt: skip

GENERIC_SKILLS = _items(
    "Microsoft Excel|Communication|Leadership|Team Leadership|Problem Solving|Microsoft Office|"
    "Project Management|Customer Service|Time Management|Public Speaking|Training|"
    "Cross-functional Team Leadership|Analytical Skills"
)
GROUPS = _items(
    "Java Developers|Python Community|Women in Technology|Agile and Lean Software Development|"
    "Data Science Central|DevOps Engineers|PMI Project Management Institute|"
    "Healthcare IT Professionals|American Nurses Association|CPA Professionals|"
    "Salesforce Professionals|Indian Professionals Network|"
    "Society of Hispanic Professional Engineers (SHPE)|National Society of Black Engineers|"
    "IEEE Computer Society|ACM|Big Data & Analytics|Cloud Computing|"
    "Cybersecurity Professionals|Supply Chain Management Professionals|"
    "Human Resources Professionals|Nurses Lounge|Six Sigma & Lean Manufacturing|"
    "AWS Community Builders|.NET Developers|C++ Developers|Node.js Developers|"
    "Kubernetes & Cloud Native|Chinese Professionals in America|Polish IT Professionals|"
    "Nigerian Professionals in the USA|Korean American Professionals"
)
INTERESTS = _items(
    "Artificial Intelligence|Open Source|Running|Photography|Volunteering|Chess|Hiking|Cooking|"
    "Travel|Robotics|Soccer|Cricket|Reading|Music|Mentoring|Blockchain|Renewable Energy|"
    "Healthcare Innovation|Fintech|Cycling|Yoga|Gardening|Basketball|Board Games"
)
HONORS = _items(
    "Dean's List|Employee of the Quarter|President's Club|Cum Laude|Magna Cum Laude|"
    "Hackathon Winner|Spot Award|Star Performer Award|Best Paper Award|Eagle Scout|"
    "Nurse of the Year|Phi Beta Kappa|Summa Cum Laude|Top Performer – Q3 2021|"
    "Excellence in Service Award|Patent: US 10,123,456"
)
EXTRA_LANGUAGES = _items("Spanish|French|German|Mandarin|Hindi|Portuguese|Japanese|Italian")
DIVERSITY_GENDERS = ("Female", "Male", "Non-binary", "Prefer not to say")
DIVERSITY_ETHNICITIES = (
    "Asian", "Black or African American", "Hispanic or Latino", "White",
    "Two or More Races", "Middle Eastern or North African", "Prefer not to say",
)  # fmt: skip
