"""Nickname, diminutive and spelling-variant groups of first names, for matching only.

Each line of the table (continued on lines starting with ``|``) is one group of names that may
stand for the same person's first name: the formal name first, then diminutives and spelling
variants (Robert | Bob | Bobby | Rob…).
Equivalence is per line and deliberately not transitive: "Bert" shares a line with Albert and
one with Robert, but that does not make Albert and Robert equivalent.

The last section pairs names with the English forms their bearers often use in a US ATS
(Guillermo | William). Diacritics and letter case do not matter here; lookups go through
``normalize.names.name_key``. Written by hand from common usage; nothing is downloaded.
"""

from __future__ import annotations

_TABLE = """
# Anglo, male
Aaron | Ron | Ronnie
Abraham | Abe | Bram
Adrian | Ade
Albert | Al | Bert | Bertie
Alan | Al | Allan | Allen
Alexander | Alex | Alec | Alastair | Xander | Sandy | Lex | Sasha | Sascha | Alexandr
Alfred | Al | Alf | Alfie | Fred | Freddie
Andrew | Andy | Drew | Andie
Anthony | Tony | Ant | Antony
Arnold | Arnie
Arthur | Art | Artie
August | Augie | Gus
Augustine | Gus | Austin
Bartholomew | Bart
Benjamin | Ben | Benji | Benny
Bernard | Bernie | Barney | Bernd | Bernhard
Bradley | Brad
Bradford | Brad
Brian | Bryan | Bri
Calvin | Cal
Cameron | Cam
Charles | Charlie | Chuck | Chas | Chaz | Chip | Carl
Christian | Chris | Christy | Kris
Christopher | Chris | Kit | Topher | Christoph | Christophe | Kristopher | Cristopher
Clifford | Cliff
Clinton | Clint
Cornelius | Cornelis | Neil | Connie | Kees | Cor
Curtis | Curt
Daniel | Dan | Danny | Dani
David | Dave | Davey | Davy
Dennis | Denny | Denis
Dominic | Dom | Nick | Dominick | Domenic
Donald | Don | Donnie
Douglas | Doug
Edgar | Ed | Eddie
Edmund | Ed | Eddie | Ned
Edward | Ed | Eddie | Eddy | Ned | Ted | Teddy
Edwin | Ed | Eddie
Elijah | Eli | Lije
Emmanuel | Manny | Emanuel | Manu
Eugene | Gene
Ezekiel | Zeke
Francis | Frank | Frankie | Fran
Franklin | Frank
Frederick | Fred | Freddie | Freddy | Fritz | Rick | Frederic
Gabriel | Gabe | Gabi
Geoffrey | Geoff | Jeff | Jeffrey
Gerald | Gerry | Jerry
Gilbert | Gil | Bert
Gregory | Greg | Gregor
Harold | Harry | Hal
Harrison | Harry
Henry | Harry | Hank | Hal | Hen | Henri
Herbert | Herb | Bert
Howard | Howie
Isaac | Ike | Zack
Jacob | Jake | Jack | Coby | Jay | Jakob | Jacobus
James | Jim | Jimmy | Jamie | Jimbo | Jas
Jason | Jay
Jefferson | Jeff
Jeffrey | Jeff | Jeffery | Geoffrey | Geoff
Jeremiah | Jerry | Jeremy
Jeremy | Jerry | Jez
Jerome | Jerry
Joel | Joe
John | Jack | Johnny | Jon | Jonny
Jonathan | Jon | Jonny | Nathan | Johnny | Jonathon
Joseph | Joe | Joey | Jo | Jody | Josef
Joshua | Josh
Julian | Jules
Kenneth | Ken | Kenny
Lawrence | Larry | Laurie | Laurence
Leonard | Len | Lenny | Leo
Louis | Lou | Louie | Lewis | Loulou
Lucas | Luke
Malcolm | Mal
Martin | Marty
Matthew | Matt | Matty | Mathew
Maurice | Mo | Morris
Maxwell | Max
Michael | Mike | Mikey | Mick | Mickey | Mitch | Micha
Mitchell | Mitch
Montgomery | Monty
Nathan | Nate | Nat
Nathaniel | Nate | Nat | Nathan
Nicholas | Nick | Nicky | Nico | Nic | Nicolas | Nikolas | Nicola | Niklas
Oliver | Ollie
Oswald | Oz | Ozzie
Patrick | Pat | Paddy | Patty
Peter | Pete
Philip | Phil | Phillip | Pip | Philippe | Filip
Raymond | Ray
Reginald | Reg | Reggie
Richard | Rick | Ricky | Rich | Richie | Dick | Rico
Robert | Bob | Bobby | Rob | Robbie | Robby | Bert | Robin
Rodney | Rod
Ronald | Ron | Ronnie
Russell | Russ
Samuel | Sam | Sammy
Stanley | Stan
Stephen | Steven | Steve | Stevie | Stefan | Stephan | Steffen | Stéphane
Stuart | Stu | Stewart
Sylvester | Sly
Terence | Terry | Terrence
Theodore | Ted | Teddy | Theo | Theodor
Thomas | Tom | Tommy | Thom
Timothy | Tim | Timmy
Tobias | Toby
Vincent | Vince | Vinny | Vin
Walter | Walt | Wally | Walther
William | Will | Bill | Billy | Willy | Willie | Liam | Wills
Zachary | Zach | Zack | Zak | Zac

# Anglo, female
Abigail | Abby | Abbie | Gail
Alexandra | Alex | Alexa | Lexi | Sandra | Sandy | Sasha | Alix | Aleksandra
Alice | Ally | Allie
Alison | Ali | Allie | Allison
Amanda | Mandy | Manda
Amelia | Amy | Millie | Mia
Angela | Angie
Anne | Ann | Anna | Ana | Annie | Nan | Nancy | Anya | Ania | Anka
Antoinette | Toni | Netta
Ashley | Ash
Barbara | Barb | Barbie | Babs | Babsi
Beatrice | Bea | Trixie | Beatriz | Bice
Caroline | Carrie | Carol | Caro | Carolyn
Cassandra | Cass | Cassie
Cecilia | Cece | Cissy | Celia
Charlotte | Charlie | Lottie | Lotte
Christina | Chris | Chrissy | Tina | Christine | Kristina | Cristina
Christine | Chris | Chrissy | Tina | Kristine | Christina
Cynthia | Cindy
Danielle | Dani | Danni
Deborah | Deb | Debbie | Debra | Debby
Diana | Di | Diane
Dorothy | Dot | Dottie | Dolly | Dora
Eleanor | Ellie | Nell | Nellie | Nora | Elle
Elizabeth | Liz | Lizzie | Beth | Betty | Betsy | Bette | Eliza | Libby | Lisa | Liza | Bess
  | Bessie | Elisabeth | Elsie | Ellie | Liesl | Lisbeth
Emily | Em | Emmy | Millie
Emma | Em | Emmy
Eve | Eva | Evie | Ewa
Evelyn | Evie | Eve
Florence | Flo | Flossie
Frances | Fran | Frannie | Frankie | Fanny
Gabrielle | Gabby | Gabi | Gaby | Brie
Geraldine | Gerry | Jerri | Dina
Gertrude | Gertie | Trudy
Gwendolyn | Gwen
Harriet | Hattie
Helen | Nell | Nellie | Lena | Ellie | Helena | Helene
Henrietta | Etta | Hetty
Isabella | Bella | Izzy | Isabel | Isabelle | Belle | Isa
Jacqueline | Jackie | Jacqui
Janet | Jan | Jenny
Jennifer | Jen | Jenn | Jenny | Jennie
Jessica | Jess | Jessie
Joanna | Jo | Joanne | Jojo | Asia
Josephine | Jo | Josie
Judith | Judy | Jude
Julia | Jules | Julie | Yulia | Yuliya
Katherine | Kate | Katie | Kathy | Catherine | Kathryn | Katharine | Cathy | Kat | Cat | Kit
  | Kitty | Kay | Katy | Cate
Kathleen | Kathy | Kate | Kath | Katie
Kimberly | Kim | Kimmy | Kimberley
Laura | Laurie | Lori
Lillian | Lily | Lil | Lilly
Louise | Lou | Lulu | Louisa | Luisa
Madeline | Maddie | Maddy | Madeleine | Madelyn
Margaret | Maggie | Meg | Megan | Peggy | Marge | Margie | Greta | Madge | Daisy | Margot
Martha | Marty | Mattie
Mary | Molly | Polly | Mae | Mamie | Maria | Marie | Mimi
Matilda | Tilly | Maud | Tilda | Mathilde | Mathilda
Megan | Meg | Meggie
Melissa | Missy | Mel | Lissa
Michelle | Shelly | Shelley | Chelle
Mildred | Millie
Natalie | Nat | Natty | Nathalie | Natalia | Nati | Natasha | Tasha
Nicole | Nicky | Nikki | Nic | Cole
Olivia | Liv | Livvy | Ollie
Pamela | Pam | Pammy
Patricia | Pat | Patty | Patsy | Tricia | Trish | Trisha | Paty
Penelope | Penny
Priscilla | Cilla | Prissy
Rachel | Rach | Rae
Rebecca | Becky | Becca | Becki | Reba
Roberta | Bobbie | Bobby | Berta
Rosemary | Rose | Rosie
Samantha | Sam | Sammy | Sammie
Sandra | Sandy | Sandi
Sarah | Sally | Sadie | Sara
Sophia | Sofia | Sophie | Sofie | Sofi | Zofia | Sonya | Sonia
Stephanie | Steph | Stevie | Steffi | Stefanie | Fanny
Susan | Sue | Susie | Suzy | Suzanne | Susanne | Susi | Susana
Teresa | Terri | Tess | Tessa | Terry | Theresa | Tessie | Tere
Tiffany | Tiff
Valerie | Val
Veronica | Ronnie | Vero
Victoria | Vicky | Vicki | Tori | Vic | Vikki
Virginia | Ginny | Ginger
Wilhelmina | Mina | Willa | Minnie | Billie | Mien
Winifred | Winnie | Freda

# Hispanic, male
Agustín | Agus
Alberto | Beto | Al | Tito
Alejandro | Alex | Jandro | Ale
Alfonso | Poncho | Fonso
Antonio | Toño | Tony | Toni | Tonino | Nino
Armando | Mando
Arturo | Turo | Art
Carlos | Carlitos | Charlie
Eduardo | Lalo | Eddie | Edu | Ed
Emiliano | Emi | Nano
Enrique | Kike | Quique | Enri
Ernesto | Neto | Ernie
Federico | Fede | Kiko | Fred
Felipe | Pipe | Phil
Fernando | Nando | Fer
Francisco | Paco | Pancho | Frank | Cisco | Fran | Curro | Quico | Paquito | Frankie
Gerardo | Lalo | Gerry
Gilberto | Beto | Gil
Gonzalo | Gonza | Chalo
Guillermo | Memo | Guille | Will | Willy
Ignacio | Nacho | Iggy
Javier | Xavier | Javi | Xavi | Xav
Jesús | Chucho | Chuy | Chus
Joaquín | Quino | Chimo
Jorge | Coque
José | Pepe | Pepito | Chepe | Joselito
José Antonio | Toño | Joseán
José Luis | Joselu | Pepelu | Jose | Luis
José María | Chema | Josema
Juan | Juanito | Juancho
Juan Carlos | Juanca | JC | Juan
Juan Pablo | Juanpa | JP
Luis | Lucho | Luisito | Lou
Manuel | Manolo | Manny | Manu | Lolo
Miguel | Migue | Mike
Nicolás | Nico | Nick
Pedro | Perico | Pete
Rafael | Rafa | Rafi | Raphael | Raffaele | Lele | Ralph
Ramón | Moncho | Mon
Ricardo | Riccardo | Richi | Ricky | Rick | Cardo
Roberto | Beto | Rob | Bob | Robby | Robi
Rodrigo | Rodri | Rigo
Salvador | Chava | Salva | Sal
Santiago | Santi | Yago
Sebastián | Sebas | Seba | Basti | Seb | Bastian | Sébastien | Bastien
Tomás | Tomy | Tom
Vicente | Chente | Vince

# Hispanic, female
Adriana | Adri
Alejandra | Ale | Alex | Jandra
Ana María | Anamari | Ana
Andrea | Andi | Andy
Beatriz | Bea | Betty
Carolina | Caro | Carol | Carito
Catalina | Cata | Cathy
Concepción | Concha | Conchita | Chita
Consuelo | Chelo
Daniela | Dani
Dolores | Lola | Loles | Lolita | Dolly
Elena | Nena | Lena | Yelena | Alena | Olena
Esperanza | Espe
Fernanda | Fer | Nanda
Francisca | Paca | Paquita | Pancha
Gabriela | Gaby | Gabi
Graciela | Chela | Grace
Guadalupe | Lupe | Lupita | Pita
Isabel | Chabela | Chavela | Isa | Belita
Josefina | Pepa | Fina | Josefa | Josie
Leticia | Lety | Leti
Luz María | Luzma
María | Mari | Maruja | Mary
María Fernanda | Mafer | Marifer
María José | Majo | Marijose | Maria
María Teresa | Maite | Maritere | Tere
Mariana | Mari | Marianne
Mercedes | Meche | Merche | Mercy
Montserrat | Montse
Pilar | Pili
Rocío | Chio
Rosario | Chayo | Charo | Rosi
Socorro | Coco
Soledad | Sole | Chole
Valentina | Vale | Tina | Valya
Ximena | Jimena | Xime
Yolanda | Yoli

# Slavic
Aleksandr | Alexander | Sasha | Shura | Alex | Aleksander | Oleksandr | Olek | Sanya | Alexandr
Aleksandar | Saša | Sasha | Aca
Aleksandra | Alexandra | Sasha | Sanya | Ola | Shura
Aleksei | Alexei | Alexey | Aleksey | Alyosha | Lyosha | Alex | Oleksiy
Anastasia | Nastya | Nastia | Stacy | Asya | Tasia
Anatoly | Tolya | Anatoliy | Anatolii
Andrei | Andrey | Andriy | Andrzej | Andrej | Andryusha
Boris | Borya
Daria | Dasha | Darya
Dmitry | Dmitri | Dmitriy | Dima | Mitya | Dimitri | Dmytro | Dimitry | Dmitrii
Ekaterina | Yekaterina | Katya | Katerina | Katia | Kate | Kateryna
Evgeny | Yevgeny | Evgeniy | Zhenya | Evgenii | Yevhen | Eugene
Galina | Galya
Grigory | Grisha | Grigoriy | Hryhoriy
Irina | Ira | Irinka | Iryna
Ivan | Vanya | Vania
Konstantin | Kostya | Kostia | Constantine
Ksenia | Kseniya | Ksyusha | Xenia | Oksana
Leonid | Lyonya | Lenya
Lyudmila | Lyuda | Mila | Ludmila | Liudmila
Maria | Masha | Mariya | Marusya | Marya
Mikhail | Misha | Mykhailo | Michal
Natalia | Natasha | Natalya | Natasa | Nata | Tasha
Nikolai | Nikolay | Kolya | Mykola | Nick | Mikolaj
Olga | Olya | Olia | Olenka | Olha
Pavel | Pasha | Pavlo | Pawel
Pyotr | Petr | Petya | Petro | Piotr
Sergei | Sergey | Serhiy | Seryozha | Serge | Sergiy | Sergii
Svetlana | Sveta | Lana
Tatiana | Tatyana | Tanya | Tania | Tanja | Tetiana
Viktor | Vitya | Victor
Vladimir | Volodya | Vova | Vlad | Volodymyr
Vladislav | Vlad | Slava
Vyacheslav | Slava
Yaroslav | Slava | Yarik
Yuri | Yura | Yury | Yuriy | Yurii
Agnieszka | Aga | Agnes
Grzegorz | Grzesiek | Greg
Jakub | Kuba | Jake
Katarzyna | Kasia | Kaska | Kate
Krzysztof | Krzys | Chris
Magdalena | Magda | Madzia | Maggie
Małgorzata | Gosia | Małgosia | Margaret
Stanisław | Stanislav | Staś | Stan
Tomasz | Tomek | Tom
Wojciech | Wojtek
Jiří | Jirka | George
Jan | Honza | Jenda

# Arabic and Muslim names
Mohammed | Mohamed | Muhammad | Mohammad | Muhammed | Mohamad | Mohd | Mohammod | Mo
  | Mehmet | Mamadou | Muhamed | Mahomed
Ahmed | Ahmad | Ahmet | Ahmadou
Abdullah | Abdallah | Abdulla
Abdul Rahman | Abdulrahman | Abdelrahman | Abdurrahman | Abdul
Abdul Aziz | Abdulaziz | Abdelaziz | Abdul
Abdul Karim | Abdulkarim | Abdelkarim | Abdul
Ali | Aly
Amir | Ameer | Emir
Anwar | Anouar
Aisha | Ayesha | Aysha | Aicha | Ayşe | Aishah
Bilal | Belal
Faisal | Faysal | Feisal
Fatima | Fatimah | Fatma | Fatme
Hamid | Hameed
Hamza | Hamzah
Hassan | Hasan
Hussein | Husain | Hussain | Hossein | Husayn | Huseyin
Ibrahim | Ebrahim | Ibraheem | Brahim
Ismail | Ismael | Esmail | Ismaeel
Jamal | Gamal | Jamaal
Karim | Kareem | Karem
Khadija | Khadijah | Hatice
Khaled | Khalid | Halid
Layla | Leila | Laila | Leyla
Mahmoud | Mahmud | Mahmood | Mehmood
Majid | Majed | Magid
Mansour | Mansur
Mariam | Maryam | Miriam | Meryem
Mustafa | Mostafa | Moustafa | Mustapha
Nasser | Naser | Nasir
Nour | Noor | Nur
Omar | Umar | Omer
Osama | Usama | Ousama
Rashid | Rasheed | Rachid
Said | Saeed | Sayed | Saied
Samir | Sameer
Sulaiman | Suleiman | Sulayman | Soliman | Suleyman
Tariq | Tarek | Tarik | Tareq
Walid | Waleed
Yahya | Yehia | Yahia
Yasmin | Yasmine | Jasmine | Yasmeen | Jasmin
Yousef | Youssef | Yusuf | Yousif | Yussuf
Zahra | Zehra
Zainab | Zaynab | Zeinab

# German and Dutch
Andreas | Andi | Andy
Annemarie | Anne-Marie | Annie
Brigitte | Gitti | Britta
Cornelia | Conny | Nele | Connie
Dieter | Didi
Dorothea | Doro | Thea | Dora
Franziska | Franzi | Fanny
Friederike | Rike | Frieda
Friedrich | Fritz | Fred
Georg | Schorsch | Jörg
Gerhard | Gerd
Gerrit | Gert | Gerard
Heinrich | Heinz | Hein | Hinrich
Hendrik | Henk | Hein
Jacobus | Jaap | Koos | Cobus
Joachim | Jochen | Achim
Johanna | Hanna | Jo | Hanne | Hanneke | Joke
Johannes | Hans | Hannes | Johann | Jo | Jan
Josef | Sepp | Seppl
Karl | Carl | Kalle
Katharina | Kathi | Katja | Käthe | Katrin | Kati
Klaus | Nikolaus | Niklas | Claus
Konrad | Konni | Conrad
Ludwig | Lutz | Ludo
Margarete | Margarethe | Grete | Gretel | Gretchen | Greta | Margit
Maria | Mieke | Marieke | Ria
Maximilian | Max | Maxi | Maxl
Pieter | Piet | Peter
Rudolf | Rudi | Rolf | Rudolph | Rudy
Rüdiger | Rudi
Antonius | Toon | Ton | Anton | Teun
Ulrich | Uli | Ulli
Ursula | Uschi | Ulla | Ursel
Wilhelm | Willi | Willy | Helm | Wim
Willem | Wim | Pim
Wolfgang | Wolf | Wolfi

# Italian
Alessandro | Alex | Sandro | Ale
Alessandra | Sandra | Ale
Caterina | Cate | Rina
Daniele | Lele | Dani
Domenico | Mimmo | Dom | Menico
Elisabetta | Betta | Elisa | Lisa
Emanuele | Lele | Manu | Manny
Federica | Fede
Filippo | Pippo | Phil
Francesca | Franci | Fra | Cesca | Frankie
Francesco | Franco | Cecco | Checco | Frank | Ciccio
Gabriele | Lele | Gabi
Giovanna | Gianna | Vanna
Giovanni | Gianni | Nanni | Vanni
Giuseppe | Beppe | Peppe | Pino | Peppino | Joe | Bepi
Giuseppina | Giusi | Pina | Peppina
Leonardo | Leo | Nardo
Lorenzo | Renzo | Enzo
Luigi | Gino | Gigi | Lou
Margherita | Rita | Marghe
Massimo | Max | Massi
Matteo | Teo | Matt
Pietro | Piero | Pete
Salvatore | Totò | Turi | Sal | Salvo
Stefano | Ste | Steve
Tommaso | Tommy | Maso
Vincenzo | Enzo | Vince | Vinny | Cenzo

# French
Alexandre | Alex
Antoine | Toine | Tony
Dominique | Dom | Domi
François | Francis | Franck | Fanfan
Geneviève | Ginette | Genny
Jacques | Jacky | Jack | Jacquot
Jean-Baptiste | JB
Jean-Claude | JC
Jean-François | JF | Jeff
Jean-Luc | JL
Jean-Marc | JM
Jean-Michel | JM
Jean-Paul | JP
Jean-Philippe | JP
Jean-Pierre | JP
Laurent | Lolo
Marguerite | Margot | Margaux | Maguy
Mathieu | Matthieu | Matt
Pierre | Pierrot
Thierry | Titi

# South Asian
Abhishek | Abhi
Aishwarya | Aishu | Ash
Anirudh | Ani
Balasubramanian | Balu | Bala
Chandrasekhar | Chandra | Sekhar | Chandrasekar
Gopal | Gopi
Karthik | Karthick | Kartik | Karthikeyan
Krishna | Krish | Kris
Lakshmi | Laxmi
Priyanka | Priya
Rajendra | Raj | Raju
Rajesh | Raj
Ravindra | Ravi
Sai Krishna | Sai
Sanjay | Sanju
Satyanarayana | Satya
Shiva | Siva
Siddharth | Sid | Siddhu
Srinivas | Srini | Srinivasa | Sreenivas
Subramanian | Subbu | Subra | Mani
Venkata Ramana | Ramana | Venkata | Venkat
Venkatesh | Venky | Venkat
Vijay | VJ
Vikram | Vicky | Vik

# West African
Abimbola | Bimbo | Bola
Adebayo | Bayo
Adewale | Wale
Babatunde | Tunde
Chiamaka | Amaka
Chinedu | Nedu
Chinonso | Nonso
Chukwuemeka | Emeka
Funmilayo | Funmi
Ikechukwu | Ike
Olufunke | Funke
Olumide | Mide
Olusegun | Segun
Oluwadamilare | Dami | Damilare
Oluwafemi | Femi
Oluwakemi | Kemi
Oluwaseun | Seun
Oluwaseyi | Seyi
Oluwatobi | Tobi
Oluwatosin | Tosin
Oluwatoyin | Toyin
Temitope | Tope

# English forms often used in a US ATS (cross-language pairs)
José | Joseph | Joe
Giuseppe | Joseph
Yusuf | Youssef | Yousef | Joseph
Juan | John | Johnny
Giovanni | John
Johannes | John
Francisco | Francis
Francesco | Francis
Guillermo | William | Bill
Guillaume | William | Will
Wilhelm | William | Will
Willem | William | Will
Guglielmo | William
Enrique | Henry | Hank
Heinrich | Henry
Hendrik | Henry
Miguel | Michael
Mikhail | Michael | Mike
Michel | Michael | Mike
Pedro | Peter
Pierre | Peter | Pete
Pietro | Peter
Pyotr | Peter
Alejandro | Alexander
Alessandro | Alexander
Jorge | George
Georg | George
Giorgio | George
Carlos | Charles
Carlo | Charles
Andrés | Andrew | Andy
Andreas | Andrew
Andrei | Andrew
Antonio | Anthony
Antoine | Anthony
Anton | Anthony | Tony
Eduardo | Edward
Édouard | Edward | Ed
Ricardo | Richard
Roberto | Robert
Tomás | Thomas
Tommaso | Thomas
Tomasz | Thomas
Jaime | James | Jimmy | Jamie
Jacques | James
Giacomo | James
Jakub | Jacob
Mateo | Matthew | Matt
Matteo | Matthew
Mathieu | Matthew
Nikolai | Nicholas
Pablo | Paul
Paolo | Paul
Pavel | Paul
Felipe | Philip
Filippo | Philip
Esteban | Stephen | Steve
Stefano | Stephen
Gregorio | Gregory | Greg
Grigory | Gregory | Greg
Vicente | Vincent
Vincenzo | Vincent
Luis | Louis
Luigi | Louis
Ignacio | Ignatius
Joaquín | Joachim
Lorenzo | Lawrence | Larry
Evgeny | Eugene
Ivan | John
Ibrahim | Abraham
Sulaiman | Solomon
Isabel | Elizabeth
Catalina | Catherine
Caterina | Catherine
Katarzyna | Catherine | Katherine
Ekaterina | Catherine | Katherine
Juana | Jane | Joan | Juanita
Giovanna | Joan | Jane
Jeanne | Jane | Joan
Margarita | Margaret | Rita
Margherita | Margaret
Margarete | Margaret
María | Mary
Elena | Helen
Susana | Susan
Cristina | Christina
Josefina | Josephine
Carlota | Charlotte
Lucía | Lucy | Lu
"""


def _parse_groups(table: str) -> tuple[tuple[str, ...], ...]:
    groups: list[list[str]] = []
    for line in table.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        names = [name.strip() for name in line.split("|")]
        if line.startswith("|"):
            groups[-1].extend(names[1:])
        else:
            groups.append(names)
    return tuple(tuple(group) for group in groups)


NICKNAME_GROUPS: tuple[tuple[str, ...], ...] = _parse_groups(_TABLE)
"""Groups of equivalent first names, formal name first, as written (with diacritics)."""
