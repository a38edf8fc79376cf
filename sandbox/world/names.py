"""Personal-name vocabularies by culture, nicknames and spelling folds.

Lists are ordered roughly by how common a name is; samplers weight earlier entries higher.
Multi-word entries ("Juan Carlos", "van der Berg") are single names on purpose.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split("|") if part.strip())


@dataclass(frozen=True)
class Culture:
    key: str
    weight: float
    male: tuple[str, ...]
    female: tuple[str, ...]
    # "Male/Female" where the surname is gendered (Kowalski/Kowalska), else one form.
    surnames: tuple[str, ...]
    languages: tuple[str, ...]
    email_domains: tuple[str, ...]
    school_region: str
    abroad_cities: tuple[str, ...]
    # Share of people of this culture who go by an English alias ("Wei (David) Zhang").
    english_alias_share: float = 0.0
    # Share whose ATS record has given and family name swapped.
    swap_share: float = 0.03
    # Share with a compound surname built from two vocabulary surnames.
    compound_surname_share: float = 0.0


CULTURES: tuple[Culture, ...] = (
    Culture(
        key="anglo",
        weight=0.36,
        male=_split(
            "James|Robert|John|Michael|David|William|Richard|Joseph|Thomas|Christopher|Charles|"
            "Daniel|Matthew|Anthony|Mark|Donald|Steven|Andrew|Paul|Joshua|Kenneth|Kevin|Brian|"
            "Timothy|Ronald|George|Jason|Edward|Jeffrey|Ryan|Jacob|Nicholas|Gary|Eric|Jonathan|"
            "Stephen|Larry|Justin|Scott|Brandon|Benjamin|Samuel|Gregory|Alexander|Patrick|Frank|"
            "Raymond|Jack|Dennis|Jerry|Tyler|Aaron|Nathan|Zachary|Kyle|Sean|Connor|Liam"
        ),
        female=_split(
            "Mary|Patricia|Jennifer|Linda|Elizabeth|Barbara|Susan|Jessica|Karen|Sarah|Lisa|Nancy|"
            "Sandra|Betty|Ashley|Emily|Kimberly|Margaret|Donna|Michelle|Carol|Amanda|Melissa|"
            "Deborah|Stephanie|Rebecca|Sharon|Laura|Cynthia|Amy|Kathleen|Angela|Dorothy|Katherine|"
            "Rachel|Heather|Nicole|Samantha|Christine|Emma|Megan|Hannah|Olivia|Abigail|Victoria|"
            "Mary Beth|Anne-Marie|Zoë|Renée|Siobhan|Caitlin"
        ),
        surnames=_split(
            "Smith|Johnson|Williams|Brown|Jones|Miller|Davis|Wilson|Anderson|Taylor|Thomas|Moore|"
            "Jackson|Martin|Lee|Thompson|White|Harris|Clark|Lewis|Robinson|Walker|Young|Allen|King|"
            "Wright|Scott|Hill|Green|Adams|Baker|Nelson|Carter|Mitchell|Roberts|Turner|Phillips|"
            "Campbell|Parker|Evans|Edwards|Collins|Stewart|Morris|Murphy|Cook|Rogers|Morgan|Cooper|"
            "Peterson|Bailey|Reed|Kelly|Howard|O'Brien|O'Connor|McDonald|MacKenzie|Sullivan|"
            "Fitzgerald|Bennett|Wood|Brooks|Hughes|Price|Sanders|Myers|Long|Foster|Powell|Jenkins|"
            "Perry|Russell|Butler|Barnes|Fisher|Henderson|Coleman|Simmons|Patterson|Jordan|"
            "Reynolds|Hamilton|Graham|St. John|Smith-Jones|O'Neill|McCarthy"
        ),
        languages=("Spanish", "French", "German"),
        email_domains=("comcast.net", "att.net", "verizon.net", "sbcglobal.net"),
        school_region="us",
        abroad_cities=("London", "Manchester", "Toronto", "Sydney", "Dublin"),
    ),
    Culture(
        key="hispanic",
        weight=0.13,
        male=_split(
            "José|Juan|Luis|Carlos|Jorge|Miguel|Francisco|Antonio|Jesús|Alejandro|Manuel|Ricardo|"
            "Fernando|Javier|Roberto|Eduardo|Rafael|Pedro|Sergio|Diego|Andrés|Raúl|Guillermo|"
            "Enrique|Héctor|Óscar|Mario|Arturo|Alberto|Juan Carlos|José Luis|Ángel|Víctor|Rubén|"
            "Gabriel|Iván|Pablo|Emilio|Santiago|Ignacio"
        ),
        female=_split(
            "María|Guadalupe|Ana|Rosa|Carmen|Sofía|Isabel|Lucía|Gabriela|Adriana|Alejandra|Daniela|"
            "Verónica|Patricia|Claudia|Mónica|Laura|Elena|Paula|Valeria|Ximena|Natalia|Carolina|"
            "Andrea|Fernanda|María José|Ana María|Beatriz|Lourdes|Teresa|Marisol|Yesenia|"
            "Esperanza|Raquel|Silvia|Julieta|Camila|Valentina|Inés|Pilar"
        ),
        surnames=_split(
            "García|Rodríguez|Martínez|Hernández|López|González|Pérez|Sánchez|Ramírez|Torres|"
            "Flores|Rivera|Gómez|Díaz|Cruz|Morales|Reyes|Gutiérrez|Ortiz|Chávez|Ramos|Ruiz|"
            "Mendoza|Álvarez|Castillo|Jiménez|Vásquez|Moreno|Romero|Herrera|Medina|Aguilar|"
            "Vargas|Castro|Guzmán|Fernández|Muñoz|Salazar|Delgado|Peña|de la Cruz|De León|"
            "del Río|Núñez|Ibáñez|Domínguez|Cabrera|Soto|Rojas|Navarro"
        ),
        languages=("Spanish",),
        email_domains=("hotmail.com", "yahoo.com.mx", "live.com"),
        school_region="latam",
        abroad_cities=("Mexico City", "Bogotá", "Buenos Aires", "Madrid", "Guadalajara"),
        compound_surname_share=0.22,
    ),
    Culture(
        key="indian",
        weight=0.13,
        male=_split(
            "Rahul|Amit|Rajesh|Suresh|Ramesh|Vijay|Sanjay|Anil|Sunil|Arjun|Vikram|Ravi|Arun|"
            "Deepak|Manoj|Prakash|Srinivas|Venkata Ramana|Venkatesh|Karthik|Siddharth|Aditya|"
            "Rohit|Nikhil|Pradeep|Ashok|Ganesh|Harish|Naveen|Praveen|Sai Krishna|Abhishek|Anand|"
            "Gaurav|Sandeep|Satish|Raghav|Kiran|Mahesh|Mohammed Irfan"
        ),
        female=_split(
            "Priya|Anjali|Pooja|Sneha|Divya|Lakshmi|Deepa|Kavya|Neha|Swati|Aishwarya|Meera|Shreya|"
            "Ananya|Sunita|Radha|Kavitha|Padma|Sridevi|Vidya|Nandini|Ramya|Shalini|Aarti|Bhavana|"
            "Harini|Jyoti|Madhuri|Nisha|Preethi|Revathi|Sangeetha|Uma|Geetha|Sai Lakshmi"
        ),
        surnames=_split(
            "Sharma|Patel|Singh|Kumar|Gupta|Reddy|Rao|Iyer|Nair|Menon|Pillai|Shah|Mehta|Joshi|"
            "Desai|Agarwal|Chopra|Malhotra|Kapoor|Verma|Mishra|Pandey|Srinivasan|Subramanian|"
            "Venkataraman|Krishnamurthy|Ramachandran|Narayanan|Chatterjee|Banerjee|Mukherjee|Das|"
            "Bose|Ghosh|Naidu|Chowdary|Yadav|Jain|Bhat|Kulkarni|Deshpande|Patil|Gowda|Hegde|"
            "Shetty|Raju|Varma|Sastry|Bhattacharya|Dutta"
        ),
        languages=("Hindi", "Telugu", "Tamil", "Kannada", "Marathi", "Bengali", "Malayalam"),
        email_domains=("yahoo.co.in", "rediffmail.com", "gmail.com"),
        school_region="in",
        abroad_cities=("Bengaluru", "Hyderabad", "Pune", "Chennai"),
        swap_share=0.05,
    ),
    Culture(
        key="chinese",
        weight=0.07,
        male=_split(
            "Wei|Jun|Hao|Lei|Jian|Ming|Tao|Yong|Qiang|Bo|Chao|Feng|Gang|Hui|Jie|Kai|Liang|Peng|"
            "Xin|Yang|Yu|Zhiwei|Haoran|Zihao|Yuxuan|Jiahao|Junjie|Xiaoming|Jianguo|Zhigang"
        ),
        female=_split(
            "Li|Fang|Jing|Xiu Ying|Min|Yan|Hong|Ling|Mei|Ying|Xiaoyan|Lina|Na|Juan|Qing|Yue|Xue|"
            "Hui Min|Wen|Lan|Yi|Ting|Jia|Xinyi|Yuting|Shu|Rui|Zhen|Meiling|Xiaohong"
        ),
        surnames=_split(
            "Wang|Li|Zhang|Liu|Chen|Yang|Huang|Zhao|Wu|Zhou|Xu|Sun|Ma|Zhu|Hu|Guo|He|Lin|Gao|Luo|"
            "Zheng|Liang|Xie|Song|Tang|Han|Feng|Deng|Cao|Peng|Zeng|Xiao|Tian|Dong|Pan|Yuan|Cai|"
            "Jiang|Du|Ye|Cheng|Su|Lu|Ding|Shen|Chan|Wong|Cheung|Leung|Lau|Ho|Ng|Chow|Tsai"
        ),
        languages=("Mandarin", "Cantonese"),
        email_domains=("qq.com", "163.com", "126.com"),
        school_region="cn",
        abroad_cities=("Shanghai", "Beijing", "Shenzhen", "Singapore"),
        english_alias_share=0.35,
        swap_share=0.10,
    ),
    Culture(
        key="vietnamese",
        weight=0.03,
        male=_split(
            "Minh|Tuan|Hung|Duc|Thanh|Quang|Long|Huy|Khoa|Phuc|Bao|Nam|Van Minh|Hoang|Trung|Dung|"
            "Khanh|Thang|Vinh|Cuong"
        ),
        female=_split(
            "Lan|Linh|Huong|Mai|Thao|Trang|Ngoc|Hoa|Phuong|Thuy|Hanh|Thu|Anh|Vy|Thi Lan|Ngoc Anh|"
            "Nhung|Quynh|Diep|Yen"
        ),
        surnames=_split(
            "Nguyen|Tran|Le|Pham|Hoang|Huynh|Phan|Vu|Vo|Dang|Bui|Do|Ho|Ngo|Duong|Ly|Nguyễn|"
            "Trần|Lê|Phạm|Truong|Dinh|Lam|Mai|Đặng"
        ),
        languages=("Vietnamese",),
        email_domains=("yahoo.com", "gmail.com"),
        school_region="vn",
        abroad_cities=("Ho Chi Minh City", "Hanoi"),
        english_alias_share=0.30,
        swap_share=0.12,
    ),
    Culture(
        key="korean",
        weight=0.03,
        male=_split(
            "Min-jun|Seo-jun|Ji-ho|Jae-won|Dong-hyun|Sung-min|Hyun-woo|Jun-young|Sang-hoon|"
            "Young-ho|Jin-woo|Tae-yang|Minjun|Jaewon|Sungho|Joon"
        ),
        female=_split(
            "Ji-woo|Seo-yeon|Min-ji|Soo-jin|Ji-eun|Hye-jin|Eun-ji|Yoo-jin|Ha-eun|Su-bin|Jiyeon|"
            "Mi-young|Hyunjoo|Seung-hee|Yuna|Jisoo"
        ),
        surnames=_split(
            "Kim|Lee|Park|Choi|Jung|Kang|Cho|Yoon|Jang|Lim|Han|Oh|Seo|Shin|Kwon|Hwang|Ahn|Song|"
            "Yoo|Hong"
        ),
        languages=("Korean",),
        email_domains=("naver.com", "daum.net", "hanmail.net"),
        school_region="kr",
        abroad_cities=("Seoul", "Busan"),
        english_alias_share=0.30,
        swap_share=0.10,
    ),
    Culture(
        key="arabic",
        weight=0.04,
        male=_split(
            "Mohammed|Muhammad|Ahmed|Ali|Omar|Hassan|Hussein|Khalid|Youssef|Ibrahim|Mahmoud|"
            "Mustafa|Abdullah|Abdul Rahman|Karim|Tariq|Samir|Faisal|Nabil|Walid|Rami|Ziad|Bilal|"
            "Hamza|Amir"
        ),
        female=_split(
            "Fatima|Aisha|Mariam|Layla|Noor|Yasmin|Huda|Rania|Salma|Zainab|Leila|Amira|Hana|Sara|"
            "Dina|Lina|Reem|Nadia|Samira|Mona"
        ),
        surnames=_split(
            "Al-Hassan|El-Sayed|Abdullah|Haddad|Khoury|Mansour|Nasser|Saleh|Hamdan|Aziz|Farouk|"
            "Rahman|Khalil|Ibrahim|Mahmoud|Hussein|Al-Rashid|Al-Masri|Bakr|Darwish|Qureshi|"
            "Siddiqui|Sheikh|Abu-Bakr|Ben Ali|El Amrani|Benali|Shaikh|Al Mansoori|Haddadin"
        ),
        languages=("Arabic", "Urdu", "French"),
        email_domains=("hotmail.com", "yahoo.com"),
        school_region="arab",
        abroad_cities=("Dubai", "Cairo", "Amman", "Riyadh"),
    ),
    Culture(
        key="slavic",
        weight=0.05,
        male=_split(
            "Aleksandr|Dmitry|Sergei|Andrei|Alexey|Ivan|Mikhail|Nikolai|Vladimir|Pavel|Piotr|"
            "Tomasz|Krzysztof|Marek|Paweł|Jakub|Łukasz|Jiří|Petr|Tomáš|Oleksandr|Bohdan|Dragan|"
            "Nikola|Milan|Stanislav|Yuri|Maksim|Grzegorz|Wojciech"
        ),
        female=_split(
            "Anastasia|Olga|Natalia|Elena|Irina|Tatiana|Svetlana|Ekaterina|Maria|Anna|Katarzyna|"
            "Agnieszka|Małgorzata|Magdalena|Joanna|Jana|Petra|Lucie|Oksana|Iryna|Milena|Jelena|"
            "Daria|Yulia|Ksenia|Zofia|Barbora|Veronika|Marta|Aleksandra"
        ),
        surnames=_split(
            "Kowalski/Kowalska|Nowak|Ivanov/Ivanova|Novák/Nováková|Petrov/Petrova|"
            "Wiśniewski/Wiśniewska|Smirnov/Smirnova|Kuznetsov/Kuznetsova|Horvat|Kovačević|"
            "Shevchenko|Bondarenko|Kowalczyk|Zieliński/Zielińska|Lewandowski/Lewandowska|"
            "Dvořák/Dvořáková|Jovanović|Petrović|Volkov/Volkova|Sokolov/Sokolova|Popov/Popova|"
            "Lebedev/Lebedeva|Kozlov/Kozlova|Mazur|Krawczyk|Wójcik|Kamiński/Kamińska|"
            "Nikolaev/Nikolaeva|Marković|Babić|Melnyk|Tkachenko|Kravchenko|Svoboda/Svobodová|"
            "Černý/Černá|Procházka/Procházková|Kučera/Kučerová"
        ),
        languages=("Russian", "Polish", "Ukrainian", "Czech", "Serbian"),
        email_domains=("mail.ru", "yandex.ru", "wp.pl", "seznam.cz"),
        school_region="slavic",
        abroad_cities=("Warsaw", "Kraków", "Kyiv", "Prague", "Belgrade"),
    ),
    Culture(
        key="nigerian",
        weight=0.03,
        male=_split(
            "Oluwaseun|Chukwuemeka|Emeka|Adebayo|Babatunde|Olumide|Chinedu|Ikechukwu|Obinna|Tunde|"
            "Femi|Segun|Kehinde|Taiwo|Uche|Nnamdi|Ayodele|Oluwafemi|Ifeanyi|Chidi|Olusegun"
        ),
        female=_split(
            "Chioma|Ngozi|Adaeze|Folake|Funmilayo|Yetunde|Oluwakemi|Nneka|Amaka|Chiamaka|Ifeoma|"
            "Bukola|Titilayo|Abimbola|Temitope|Omolara|Ebere|Blessing|Precious|Adanna|Damilola"
        ),
        surnames=_split(
            "Okafor|Okonkwo|Adeyemi|Adebayo|Ogunleye|Eze|Nwosu|Obi|Okeke|Balogun|Afolabi|Ibrahim|"
            "Bello|Oladipo|Olawale|Akinola|Chukwu|Nwachukwu|Onyekachi|Uzoma|Adewale|Ogunbiyi|"
            "Oyelaran|Ekwueme|Oyinlola"
        ),
        languages=("Yoruba", "Igbo", "Hausa"),
        email_domains=("yahoo.com", "gmail.com"),
        school_region="ng",
        abroad_cities=("Lagos", "Abuja"),
    ),
    Culture(
        key="german",
        weight=0.04,
        male=_split(
            "Lukas|Maximilian|Felix|Jonas|Leon|Paul|Sebastian|Tobias|Florian|Stefan|Andreas|"
            "Thomas|Michael|Christian|Matthias|Jürgen|Klaus|Wolfgang|Dieter|Uwe|Jörg|Björn|Sören|"
            "Hans-Peter|Karl-Heinz|Günter"
        ),
        female=_split(
            "Anna|Lena|Leonie|Hannah|Julia|Katharina|Sophie|Sabine|Ursula|Monika|Petra|Birgit|"
            "Heike|Jutta|Anke|Claudia|Jana|Mareike|Annika|Käthe|Anne-Kathrin|Eva-Maria|Brigitte|"
            "Dörte|Gisela|Jördis"
        ),
        surnames=_split(
            "Müller|Schmidt|Schneider|Fischer|Weber|Meyer|Wagner|Becker|Schulz|Hoffmann|Schäfer|"
            "Koch|Bauer|Richter|Klein|Wolf|Schröder|Neumann|Schwarz|Zimmermann|Braun|Krüger|"
            "Hofmann|Hartmann|Lange|Schmitt|Werner|Schmitz|Krause|Meier|Lehmann|Schmid|Schulze|"
            "Maier|Köhler|Herrmann|König|Walter|Mayer|Huber|Kaiser|Fuchs|Peters|Lang|Scholz|"
            "Möller|Weiß|Jung|Hahn|Vogel|von Braun|von der Heide|Groß|Müller-Lüdenscheidt"
        ),
        languages=("German",),
        email_domains=("gmx.de", "web.de", "gmx.net", "t-online.de"),
        school_region="de",
        abroad_cities=("Berlin", "Munich", "Hamburg", "Frankfurt"),
    ),
    Culture(
        key="french",
        weight=0.03,
        male=_split(
            "Jean|Pierre|Michel|Philippe|Alain|Nicolas|François|Laurent|Julien|Olivier|Sébastien|"
            "Frédéric|Stéphane|Christophe|Thierry|Mathieu|Guillaume|Antoine|Jérôme|Benoît|"
            "Jean-Pierre|Jean-Luc|Jean-François|Rémi|Théo|Hugo|Louis|Étienne|Cédric|Grégoire"
        ),
        female=_split(
            "Marie|Nathalie|Isabelle|Sylvie|Catherine|Françoise|Valérie|Sandrine|Céline|Sophie|"
            "Aurélie|Émilie|Camille|Chloé|Léa|Manon|Élodie|Hélène|Marie-Claire|Anne-Sophie|Zoé|"
            "Noémie|Mélanie|Agnès|Béatrice|Renée|Gaëlle|Maëlle|Océane|Inès"
        ),
        surnames=_split(
            "Martin|Bernard|Dubois|Thomas|Robert|Richard|Petit|Durand|Leroy|Moreau|Simon|Laurent|"
            "Lefebvre|Lefèvre|Michel|David|Bertrand|Roux|Vincent|Fournier|Morel|Girard|André|"
            "Mercier|Dupont|Lambert|Bonnet|François|Legrand|Garnier|Faure|Rousseau|Blanc|Guérin|"
            "Henry|Roussel|Perrin|Morin|Clément|Gauthier|Dumont|Fontaine|Chevalier|Robin|"
            "de la Fontaine|Le Goff|Saint-Martin|Boucher|Côté|Gagnon|Tremblay|Bélanger|Lévesque"
        ),
        languages=("French",),
        email_domains=("orange.fr", "free.fr", "laposte.net", "videotron.ca"),
        school_region="fr",
        abroad_cities=("Paris", "Lyon", "Montréal", "Toulouse"),
    ),
    Culture(
        key="dutch",
        weight=0.02,
        male=_split(
            "Jan|Pieter|Hendrik|Willem|Johannes|Cornelis|Dirk|Bram|Daan|Sem|Lars|Joost|Maarten|"
            "Sander|Thijs|Ruud|Joris"
        ),
        female=_split(
            "Anna|Sanne|Lotte|Femke|Anouk|Eva|Lieke|Maaike|Marieke|Ineke|Saskia|Annelies|Floor|"
            "Noor|Fenna"
        ),
        surnames=_split(
            "van der Berg|van den Berg|de Vries|van Dijk|Bakker|Janssen|Visser|Smit|Meijer|"
            "de Boer|Mulder|de Groot|Bos|Vos|Peters|Hendriks|van Leeuwen|Dekker|Brouwer|de Wit|"
            "Dijkstra|Smits|de Graaf|van der Meer|van der Linden|Kok|Jacobs|de Haan|Vermeulen|"
            "van den Heuvel|van der Veen|van den Broek|de Bruijn|de Jong|ten Have|van 't Hof"
        ),
        languages=("Dutch", "German"),
        email_domains=("ziggo.nl", "hotmail.nl", "kpnmail.nl"),
        school_region="nl",
        abroad_cities=("Amsterdam", "Rotterdam", "Utrecht"),
    ),
)

# English aliases used by part of the East-Asian population (LinkedIn: "Wei (David) Zhang").
ENGLISH_ALIASES_MALE = _split(
    "David|Kevin|Michael|Jason|Eric|Tony|Jack|Frank|Steven|Vincent|Peter|Alex|Andy|Leo|Henry"
)
ENGLISH_ALIASES_FEMALE = _split(
    "Amy|Grace|Jenny|Lily|Helen|Cindy|Vivian|Sophia|Annie|Joyce|Crystal|Emily|Tina|Iris|Linda"
)

# Nicknames and transliteration variants: what an ATS or a resume may carry instead.
NICKNAMES: dict[str, tuple[str, ...]] = {
    "Robert": ("Bob", "Rob", "Bobby"),
    "William": ("Bill", "Will", "Billy"),
    "Richard": ("Rick", "Rich", "Dick"),
    "James": ("Jim", "Jimmy", "Jamie"),
    "John": ("Jack", "Johnny"),
    "Michael": ("Mike", "Mikey"),
    "Christopher": ("Chris",),
    "Charles": ("Charlie", "Chuck"),
    "Daniel": ("Dan", "Danny"),
    "Matthew": ("Matt",),
    "Anthony": ("Tony",),
    "Joseph": ("Joe", "Joey"),
    "Thomas": ("Tom", "Tommy"),
    "Steven": ("Steve",),
    "Stephen": ("Steve",),
    "Andrew": ("Andy", "Drew"),
    "Joshua": ("Josh",),
    "Kenneth": ("Ken", "Kenny"),
    "Timothy": ("Tim",),
    "Ronald": ("Ron",),
    "Edward": ("Ed", "Ted", "Eddie"),
    "Jeffrey": ("Jeff",),
    "Nicholas": ("Nick",),
    "Jonathan": ("Jon",),
    "Gregory": ("Greg",),
    "Alexander": ("Alex",),
    "Benjamin": ("Ben",),
    "Samuel": ("Sam",),
    "Patrick": ("Pat",),
    "Raymond": ("Ray",),
    "Zachary": ("Zach",),
    "Elizabeth": ("Liz", "Beth", "Betty", "Lisa"),
    "Patricia": ("Pat", "Patty", "Trish"),
    "Jennifer": ("Jen", "Jenny"),
    "Margaret": ("Maggie", "Peggy", "Meg"),
    "Katherine": ("Kate", "Katie", "Kathy"),
    "Kathleen": ("Kathy", "Kate"),
    "Rebecca": ("Becky", "Becca"),
    "Deborah": ("Deb", "Debbie"),
    "Susan": ("Sue", "Susie"),
    "Kimberly": ("Kim",),
    "Jessica": ("Jess",),
    "Samantha": ("Sam",),
    "Victoria": ("Vicky", "Tori"),
    "Abigail": ("Abby",),
    "Christine": ("Chris", "Tina"),
    "Cynthia": ("Cindy",),
    "Dorothy": ("Dot", "Dottie"),
    "Stephanie": ("Steph",),
    "Barbara": ("Barb",),
    "Francisco": ("Paco", "Frank"),
    "José": ("Pepe", "Joe"),
    "Guillermo": ("Memo", "Will"),
    "Alejandro": ("Alex",),
    "Enrique": ("Henry", "Kike"),
    "Jesús": ("Chuy",),
    "Roberto": ("Beto", "Rob"),
    "Alberto": ("Beto", "Al"),
    "Eduardo": ("Lalo", "Eddie"),
    "Ignacio": ("Nacho",),
    "Manuel": ("Manny",),
    "Javier": ("Javi",),
    "Rafael": ("Rafa",),
    "Antonio": ("Tony",),
    "Ricardo": ("Rick",),
    "Guadalupe": ("Lupe",),
    "Alejandra": ("Ale",),
    "Gabriela": ("Gaby",),
    "Verónica": ("Vero",),
    "Juan Carlos": ("JC", "Juan"),
    "José Luis": ("Jose", "Luis"),
    "María José": ("Majo", "Maria"),
    "Ana María": ("Ana",),
    "Venkatesh": ("Venky",),
    "Srinivas": ("Srini",),
    "Venkata Ramana": ("Ramana", "Venkata"),
    "Sai Krishna": ("Sai",),
    "Sai Lakshmi": ("Sai",),
    "Abhishek": ("Abhi",),
    "Siddharth": ("Sid",),
    "Aishwarya": ("Ash",),
    "Rajesh": ("Raj",),
    "Mohammed Irfan": ("Irfan", "Mohammed"),
    "Mohammed": ("Mohamed", "Muhammad", "Mohammad"),
    "Muhammad": ("Mohammed", "Mohamed"),
    "Youssef": ("Yousef", "Yusuf", "Joseph"),
    "Hussein": ("Husain", "Hussain"),
    "Aisha": ("Ayesha", "Aysha"),
    "Fatima": ("Fatimah",),
    "Mariam": ("Maryam",),
    "Abdul Rahman": ("Abdulrahman", "Abdul"),
    "Aleksandr": ("Alexander", "Sasha", "Alex"),
    "Dmitry": ("Dmitri", "Dima"),
    "Sergei": ("Sergey",),
    "Alexey": ("Alexei", "Alex"),
    "Mikhail": ("Michael", "Misha"),
    "Ekaterina": ("Katya", "Kate"),
    "Anastasia": ("Nastya",),
    "Yulia": ("Julia",),
    "Oleksandr": ("Alexander", "Sasha"),
    "Oluwaseun": ("Seun",),
    "Chukwuemeka": ("Emeka",),
    "Babatunde": ("Tunde",),
    "Oluwafemi": ("Femi",),
    "Olusegun": ("Segun",),
    "Oluwakemi": ("Kemi",),
    "Funmilayo": ("Funmi",),
    "Chiamaka": ("Amaka",),
    "Abimbola": ("Bimbo",),
    "Temitope": ("Tope",),
    "Ikechukwu": ("Ike",),
    "Maximilian": ("Max",),
    "Sebastian": ("Basti",),
    "Katharina": ("Katja", "Kathi"),
    "Andreas": ("Andi",),
    "Christian": ("Chris",),
    "Hans-Peter": ("Hans",),
    "Jean-Pierre": ("JP",),
    "Jean-François": ("Jeff",),
    "Guillaume": ("William",),
    "Johannes": ("Hans", "Jan"),
    "Cornelis": ("Kees",),
    "Hendrik": ("Henk",),
}

# Hand-picked diacritic names for the Windows-1252 data-copy file (they differ between encodings).
CP1252_SHOWCASE_NAMES: tuple[tuple[str, str], ...] = (
    ("Zoë", "Müller"),
    ("Renée", "Lefèvre"),
    ("Jürgen", "Schäfer"),
    ("Inès", "Núñez"),
)

_FOLD_SPECIAL = str.maketrans(
    {"ß": "ss", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "æ": "ae", "Æ": "AE"}
)
_GERMAN_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


def ascii_fold(text: str) -> str:
    """Strip diacritics the way most ATS imports do: "José Müller" → "Jose Muller"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD_SPECIAL))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def german_fold(text: str) -> str:
    """Transliterate umlauts the German way: "Müller" → "Mueller"."""
    return ascii_fold(text.translate(_GERMAN_FOLD))


def slug_part(text: str) -> str:
    """A name as it appears inside a URL slug: ascii, lower case, words joined by hyphens."""
    folded = ascii_fold(text).lower().replace("'", "").replace(".", "")
    return "-".join(folded.split())


def email_part(text: str) -> str:
    """A name as it appears in an e-mail local part: ascii, lower case, no separators."""
    return "".join(ch for ch in ascii_fold(text).lower() if ch.isalnum())
