"""Organisation vocabulary of the region: generic words and their translations, places, stop words, legal forms.

Data only, parsed once (lazily) into lookup tables. A word listed here is *generic*: it says what kind of
organisation or theme a name has (agency, centre, women, environment) and maps to one concept id whatever
the language — English, Bosnian/Croatian/Serbian (Latin; Serbian Cyrillic folds to it), Albanian,
Macedonian (written in Cyrillic below, folded on load), plus the Spanish and German words that IATI files
carry. A word *not* listed is distinctive (a place, a proper name, an acronym). `stem*` matches the stem plus
an inflection of up to five letters (demokratije, demokracisë, Mostaru); longest stem wins.

Concept rows: `id | en | bcs | sq | mk | other`; a long row continues on a row with the same id (`-` = none).
The first form of each of the four language columns gives the word's initial in that language, for acronym ↔
expansion matching across languages; a form with `+` only renders (`zivotnu+sredinu` → "zs"). Place rows:
`country | canonical/alternative/stem* …`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from aidatlas.normalize.script import fold

CONCEPTS = """
agency | agency agencies | agencij* | agjenci* agjensi* | агенциј* | agencia*
center | center* centre* | centar centr* | qendr* qender qendres | центар центр* | centro*
central | central* | centraln* | qendror* | централ* | central
association | association* citizens_association | udruzenj* udrug* asocijacij* | shoqat* | здружени* | asociacion*
association | - | udruzenje_gradjana udruga_gradjana | asociacion* | асоцијациј* здружение_на_граѓани | verein*
foundation | foundation* | fondacij* zaklad* | fondacion* fondacioni | фондациј* | fundacion* stiftung*
fund | fund funds | fond fonda fondu fondovi fondom | fondi fondit | фонд фондот | fondo fondos
trust | trust | trust | trust | труст | fideicomiso
institute | institut* | institut* | institut* | институт* | instituto*
network | network* | mrez* | rrjet* | мреж* | netzwerk*
forum | forum* | forum* | forum* | форум* | foro
alliance | alliance* | alijans* | aleanc* | алијанс* | alianza
union | union* | unij* savez* | bashkim* | униј* сојуз* | union
coalition | coalition* | koalicij* | koalicion* | коалициј* | coalicion*
council | council* | vijec* savjet* savet* vece veca | keshill* | совет* | consejo*
committee | committee* | komitet* odbor* | komitet* | комитет* одбор* | comite*
group | group* | grup* | grup* | груп* | grupo*
club | club* | klub* | klub* | клуб* | club
society | society societies | drustv* | shoqeri* | општеств* друштв* | sociedad* gesellschaft
league | league | liga lige ligi ligu | lidhj* | лига | liga
movement | movement* | pokret* | levizj* | движењ* | movimiento
initiative | initiative* | inicijativ* | nism* iniciativ* | иницијатив* | iniciativa*
programme | programme* program* | program* | program* | програм* | programa*
project | project* | projek* projekt* | projekt* | проект* | proyecto*
office | office* bureau | ured* kancelarij* biro | zyra zyre zyres zyren zyrat zyrja | канцелариј* биро | oficina*
ministry | ministry ministries | ministarstv* | ministri* | министерств* | ministerio*
minister | minister* | ministar ministara ministri ministrima | ministra* | министер министри | ministro*
department | department* | odjel* odeljenj* odsjek* | departament* | оддел* сектор | departamento*
directorate | directorate* | direkcij* | drejtori* | дирекциј* | direccion*
administration | administration* | uprav* administracij* | administrat* | управ* администрациј* | administracion*
government | government* | vlada vlade vladi vladu vladom | qeveri* | влада влади владата | gobierno*
municipality | municipality municipalities municipal | opstin* opcin* | komun* bashki* | општин* | municipio*
municipality | - | - | - | - | ayuntamiento*
city | city | grad grada gradu gradsk* | qytet* | град градот градск* | ciudad*
embassy | embassy embassies | ambasad* | ambasad* | амбасад* | embajada*
delegation | delegation* | delegacij* | delegacion* | делегациј* | delegacion*
mission | mission* | misij* | misioni* | мисиј* | mision*
university | universit* | univerzitet* sveucilist* | universitet* | универзитет* | universidad* unibertsitatea
faculty | faculty | fakultet* | fakultet* | факултет* | facultad*
school | school* | skol* | shkoll* | школ* | escuela*
academy | academy | akademij* | akademi* | академиј* | academia*
chamber | chamber* | komor* | dhom* | комор* | camara*
cooperative | cooperative* | zadrug* | kooperativ* | задруг* | cooperativa*
company | company companies | kompanij* preduzec* poduzec* | kompani* | компаниј* | empresa*
bank | bank* | bank* | bank* | банк* | banco*
organization | organiza* organisa* | organizacij* | organizat* | организациј* | organizacion*
partnership | partnership* | partnerstv* | partneritet* | партнерств* | alianza
platform | platform* | platform* | platform* | платформ* | plataforma*
house | house home | kuca kuce kuci kucu kucom kucni dom doma domu | shtepi* | куќ* дом | casa*
laboratory | lab labs laborator* | laboratorij* | laborator* | лабораториј* | laboratorio*
service | service* | sluzb* servis* | sherbim* | служб* | servicio*
authority | authority authorities | vlast* | autoritet* | власт* | autoridad*
assembly | assembly | skupstin* sabor* | kuvend* asamble* | собрани* | asamblea*
parliament | parliament* | parlament* | parlament* | парламент* | parlamento*
court | court* | sud suda sudu sudov* | gjykat* | суд судот | tribunal*
police | police | policij* | polici* | полициј* | policia*
hospital | hospital* | bolnic* | spital* | болниц* | hospital*
library | librar* | bibliotek* | bibliotek* | библиотек* | biblioteca*
museum | museum* | muzej* | muze* | музеј* | museo*
theatre | theatre* theater* | pozorist* kazalist* teat* | teat* | театар* театр* | teatro*
media | media | medij* | media mediave mediat | медиум* медии | medios
red | red | crven* | kuq kuqe kuqi | црвен* | roja
cross | cross | krst* kriz krizu | kryq* | крст* | cruz
local | local* | lokaln* | lokal* | локалн* | local*
regional | region* | regionaln* regij* region* | rajon* | регионалн* регион* | regional*
national | national* | nacionaln* | kombetar* nacional* | национал* | nacional*
international | international* | medjunarodn* internacionaln* | nderkombetar* | меѓународн* | internacional*
international | - | - | - | - | internationale*
nations | nations nation | nacij* | kombe* | нации | naciones
united | united | ujedinjen* | bashkuar* | обединет* | unidas unidos
world | world | svjetsk* svetsk* | boter* | светск* | mundial*
global | global* | globaln* | global* | глобалн* | global
european | europ* | evrop* europsk* | evrop* europ* | европ* | europe*
balkan | balkan* | balkan* | ballkan* | балкан* | balcan*
western | western | zapadn* | perendimor* | западн* | occidental*
north | north* | sjevern* severn* | verior* veriu* | северн* | norte
south | south* | juzn* | jugor* jugu* | јужн* | sur
east | east eastern | istocn* | lindor* lindj* | источн* | este oriental
democracy | democra* | demokra* | demokra* | демокра* | democra*
development | develop* | razvoj* razvit* | zhvill* | развој* | desarrollo* entwicklung*
research | research* | istraziva* istraz* | hulumt* kerkim* | истражува* | investigacion*
policy | policy policies politics political | politik* | politik* | политик* | politica*
making | making maker makers | kreiranj* | berj* | креирањ* | elaboracion
studies | studies study | studij* | studim* | студии | estudios
mediation | mediation | medijacij* posredovanj* | ndermjetesim* | медијациј* посредува* | mediacion*
peace | peace* | mir mira miru mirom mirovn* | paqe* | мир мирот мировн* | paz
justice | justice | pravd* | drejtesi* | правд* | justicia*
law | law laws legal | pravn* zakon* | ligj* juridik* | правн* закон* | juridic*
rights | rights right | prava prav pravima pravo | drejta drejtat drejtave drejtash | права право | derechos derecho
human | human humans | ljudsk* covjek* covek* | njeri* njerez* | човек* | humano* humana*
humanitarian | humanitar* | humanitarn* | humanitar* | хуманитарн* | humanitari*
people | people persons person | ljudi ljudima osob* lica | persona* | луѓе лица | personas
environment | environment* | zivotnu+sredinu zivotn* sredin* okolis* | mjedis* ambient* | животна+средина | ambiente
environment | - | - | - | животн* средин* | medio
ecology | ecolog* eco | ekolog* ekolos* | ekolog* | еколог* | ecologi*
nature | nature natural | prirod* | natyr* | природ* | naturaleza
protection | protect* defence defense | zastit* odbran* obran* | mbrojtj* mbroj* | заштит* одбран* | proteccion*
women | women woman womens | zene zena zenama zensk* zenu | gra grate grave gruaja grua | жени жена женск* | mujer*
women | - | - | - | - | mujeres
gender | gender* | rodn* | gjini* | родов* | genero
equality | equal* | ravnopravn* jednak* | barazi* | еднаквост* рамноправ* | igualdad*
opportunities | opportunit* | mogucnost* prilik* | mundesi* | можност* | oportunidad*
children | child* | djeca djece djeci djecu djecom deca dece deci decu decom dijete dete | femij* | деца | nino*
children | - | - | - | дете детск* | infancia
youth | youth young | mlad* omladin* | rini* rinj* rinor* | млад* | juventud* joven*
students | student* | student* | student* | студент* | estudiant*
education | educat* | obrazovanj* obrazov* edukacij* | arsim* edukim* | образова* едукациј* | educacion*
culture | cultur* | kultur* | kultur* | култур* | cultura*
art | art arts artistic | umjetn* umetn* | art arti artit | уметн* | arte*
health | health* | zdravlj* zdravstv* | shendet* | здравств* здравј* | salud sanitari*
social | social* | socijaln* drustven* | social* shoqeror* | социјалн* | social*
affairs | affairs | poslov* | puneve punet | работи | asuntos
foreign | foreign external | inostran* vanjsk* spoljn* | jasht* | надворешн* | exteriores exterior
labour | labour labor | rada radu | pune punes | труд трудот | trabajo
employment | employment | zaposljavanj* zaposl* | punesim* | вработува* | empleo*
economy | econom* | ekonom* privred* | ekonom* | економ* стопанств* стопанск* | economia* economic*
enterprise | enterpris* entrepreneur* | preduzetni* poduzetni* | ndermarrj* | претприемни* | empresarial*
enterprise | - | - | sipermarrj* | - | -
business | business* | biznis* poslovn* | biznes* | бизнис* | negocio*
investment | invest* | investic* ulaganj* | investim* | инвестици* | inversion*
support | support* | podrsk* podrz* | mbeshtet* | поддршк* | apoyo*
trade | trade commerce | trgov* | tregt* | трговиј* | comercio*
industry | industr* | industrij* | industri* | индустриј* | industria*
agriculture | agricult* | poljopriv* | bujqesi* | земјоделств* | agricultura*
food | food | hran* | ushqim* | храна | alimentacion alimento*
veterinary | veterin* | veterin* | veterin* | ветерин* | veterinari*
security | secur* safety | sigurnost* bezbjedn* bezbedn* | siguri* | безбедност* | seguridad*
cooperation | cooperat* collaborat* co_operation co_operat* | saradnj* | bashkepunim* | соработк* | cooperacion*
cooperation | - | suradnj* | - | - | zusammenarbeit
integration | integrat* | integracij* | integrim* | интеграциј* | integracion*
inclusion | inclus* | inkluz* ukljucivanj* | perfshirj* | вклучува* инклузи* | inclusion*
community | communit* | zajednic* | komunitet* | заедниц* | comunidad*
public | public | javn* | publik* | јавн* | publico publica
private | private | privatn* | privat* | приватн* | privado privada
civic | civic civil citizen* | gradjan* civiln* | civil* qytetar* | граѓан* цивилн* | civil ciudadan*
governance | governance | upravljanj* | qeverisj* | управува* | gobernanza
transparency | transparen* | transparentn* | transparenc* | транспарентн* | transparencia
accountability | accountab* | odgovornost* | llogaridhen* | отчетност* | rendicion
corruption | corrupt* | korupcij* | korrupsion* | корупциј* | corrupcion
crime | crim* | kriminal* | krim* | криминал* | crimen
migration | migra* | migra* | migr* | миграци* | migracion*
refugees | refugee* | izbjegl* izbegl* | refugjat* | бегалц* | refugiado*
minority | minorit* | manjin* | minoritet* pakic* | малцинств* | minoria*
roma | roma romani | romi romski romska romske romskih | romet romeve romeve | роми ромите ромски ромска | gitano*
roma | - | - | - | ромските | -
disability | disab* | invalid* | aftesi* kufizuar* | попреченост* хендикеп* | discapacidad*
victims | victim* | zrtv* | viktim* | жртв* | victima*
violence | violence | nasilj* | dhun* | насилств* | violencia*
prevention | prevent* | prevenc* sprjecavanj* | parandalim* | превенциј* | prevencion*
addiction | addict* | ovisnost* zavisnost* | varesi* | зависност* | adiccion*
reconciliation | reconcil* | pomirenj* | pajtim* | помирува* | reconciliacion
conflict | conflict* | sukob* konflikt* | konflikt* | конфликт* | conflicto*
post | post | post | pas | пост | post
promotion | promot* | promocij* promovisanj* promovir* | promovim* | промоциј* промовира* | promocion*
chemistry | chemi* | hemij* kemij* | kimi* | хемиј* | quimica*
metallurgy | metallurg* | metalurg* | metalurgji* | металург* | metalurgia*
change | change | promjen* promen* | ndryshim* | промен* | cambio*
action | action | akcij* | aksion* | акциј* | accion*
water | water | voda vode vodi vodu vodom vodn* | uje ujit ujera* | вода води | agua*
energy | energ* | energ* | energji* | енергиј* | energia*
innovation | innovat* | inovac* inovat* | inovacion* inovativ* | иновациј* | innovacion*
technology | technolog* | tehnolog* | teknologji* | технолог* | tecnologia*
science | scien* | nauk* znanost* naucn* | shkenc* | наук* научн* | ciencia*
information | inform* | informac* | informacion* informim* | информ* | informacion*
communication | communicat* | komunikac* | komunikim* | комуникац* | comunicacion*
digital | digital* | digitaln* | dixhital* digjital* | дигитал* | digital*
sustainable | sustainab* | odrziv* | qendrueshm* | одржлив* | sostenible*
rural | rural | ruraln* seosk* | rural* fshat* | рурал* | rural*
urban | urban* | urban* | urban* | урбан* | urbano*
tourism | touris* | turiz* | turiz* | туризам туризм* | turismo*
sport | sport* | sport* | sport* | спорт* | deporte*
volunteers | volunt* | volont* | vullnet* | волонт* | voluntari*
alumni | alumni | alumni | alumni | алумни | alumni
training | training* | obuk* trening* | trajnim* | обук* | formacion*
aid | aid assist* help* | pomoc* | ndihm* | помош* | ayuda* asistencia*
need | need needs | potreb* | nevoj* | потреб* | necesidad*
population | population | stanovnistv* | popullsi* | население | poblacion*
high | high | visok* | lart* | висок* | alto alta
commission | commission* | komesar* komisij* | komision* | комесар* комисиј* | comision* comisionado*
coordinator | coordinat* | koordinat* | koordinat* | координат* | coordinador* coordinacion
royal | royal | kraljevsk* | mbreteror* | кралск* | -
kingdom | kingdom | kraljevin* kraljevstv* | mbreteri* | кралств* | reino
republic | republic* | republik* | republik* | републик* | republica*
federal | federa* | federac* federaln* | federat* | федерац* федерал* | federal*
state | state | drzav* | shtet* | држав* | estado*
canton | canton* | kanton* zupanij* | kanton* | кантон* | canton*
prefecture | prefectur* | prefektur* | prefektur* | префектур* | prefectura*
finance | financ* | financ* finans* | financ* | финанс* | finanzas hacienda
interior | interior | unutrasnj* | brendshm* | внатрешн* | interior
spatial | spatial | prostorn* | hapesinor* | просторн* | espacial
planning | planning | planiranj* | planifikim* | планира* | planificacion
infrastructure | infrastruct* | infrastruktur* | infrastruktur* | инфраструктур* | infraestructura*
transport | transport* | saobracaj* promet* | transport* | транспорт* сообраќај* | transporte*
reconstruction | reconstruct* | obnov* rekonstrukc* | rindertim* | обнов* реконструкц* | reconstruccion
customs | customs | carin* | dogan* | царин* | aduana*
tax | tax taxes taxation | porez* | tatim* | даноч* даноц* | impuesto*
statistics | statisti* | statisti* | statistik* | статисти* | estadistica*
family | famil* | porodic* obitelj* | famil* | семејств* | familia*
elderly | elderly older senior* | starij* penzioner* | moshuar* | стари | mayores
open | open | otvoren* | hapur* | отворен* | abierto*
free | free freedom* | slobod* | liri liria lirise lirine lirite | слобод* | libre* libertad
independent | independen* | nezavisn* | pavarur* | независн* | independiente*
new | new | novi nova novo novih | ri | нов нова ново | nuevo nueva
green | green | zelen* | gjelber* | зелен* | verde*
life | life | zivot zivota zivotu | jeta jetes | живот | vida
future | future | buducnost* | ardhm* | иднин* | futuro*
other | other | ostal* drugi druga druge drugih | tjer* | друг друга други друго | otra otro otras otros
entity | entity entities | subjekt* entitet* | subjekt* | субјект* | entidad*
country | country | zemlj* | vend vendi vendit | земј* | pais
donor | donor* | donator* donor* | donator* | донатор* | donante*
profit | profit | profit* | fitim* | профит* | animo lucro
"""

# Stop words, grouped by the English word they render as in another language ("" = dropped there).
STOPS = """
for | for | za | per | за | para fur
and | and | i te ili | dhe | и | y und
of | of | od | e i te se | на | de del des der
the | the a an | - | - | - | la las el los die das
in | in on at to by with from | u na s sa iz o kod pri prema do | ne nga me ne | во со од | en por al zu mit
"""
# Rendering of a stop word in each language: en, bcs, sq, mk.
STOP_RENDER = {"for": ("f", "z", "p", "z"), "and": ("a", "i", "d", "i"), "of": ("o", "", "e", "n"),
               "the": ("t", "", "", ""), "in": ("i", "u", "n", "v")}
LANGS = ("en", "bcs", "sq", "mk")

# Legal forms and registration labels: they say how an organisation is registered, not which one it is.
LEGAL = """
ngo ngos nvo ocd ojq ong ug ju doo dooel shpk llc ltd inc gmbh plc
d_o_o d_o_o_e_l sh_p_k sh_a e_v a_d
non_governmental_organization non_governmental_organisation nongovernmental_organization
nevladina_organizacija nevladina_udruga organizata_joqeveritare невладина_организација
"""

# Countries: code | canonical | forms. Multi-word forms are written with `_`.
COUNTRIES = """
BA | bosnia | bosnia bosnian bosn* bih b_h bosnia_and_herzegovina bosnia_herzegovina bosna_i_hercegovina
BA | bosnia | bosne_i_hercegovine bosni_i_hercegovini bosnu_i_hercegovinu bosnja_dhe_hercegovina
BA | bosnia | bosnje_dhe_hercegovines bosnjes_dhe_hercegovines bosanskohercegovack* босн* бих
RS | serbia | serbia serbian serbi* srbij* srb србиј* србија
XK | kosovo | kosov* rks косов*
ME | montenegro | montenegr* crnogorsk* mne crna_gora crne_gore crnoj_gori crnu_goru mali_i_zi malit_te_zi
ME | montenegro | malin_e_zi црна_гора црне_горе
MK | macedonia | macedoni* makedonij* makedonsk* maqedoni* mkd north_macedonia severna_makedonija
MK | macedonia | sjeverna_makedonija severne_makedonije sjeverne_makedonije maqedonia_e_veriut maqedonise_se_veriut
MK | macedonia | македониј* македонск* северна_македонија
AL | albania | albani* albanij* shqiperi* shqiptar* alb албаниј*
HR | croatia | croati* hrvatsk* хрватск*
SI | slovenia | sloveni* slovenij*
JP | japan | japan* japon* јапон* јапан*
NO | norway | norw* norve* norsk* norge норвешк*
SE | sweden | swed* svedsk* suedi* sverige шведск*
CH | switzerland | swiss switzerland svajcar* svicar* zvicr* zvicer* schweiz* швајцар*
DE | germany | german* njemack* nemack* gjermani* deutsch* германиј*
US | united_states | united_states u_s u_s_a sad usa america* americk* amerik* united_states_of_america
GB | united_kingdom | united_kingdom uk british britain velika_britanija britanij* britanik* mbreteria_e_bashkuar
NL | netherlands | netherlands dutch holandij* holand* nizozem* holande*
AT | austria | austria* austrij* osterreich*
DK | denmark | denmark danish dansk* danimark*
FI | finland | finland finnish finsk*
FR | france | france french francusk* franc frances* francez*
IT | italy | italy italian* italij* itali*
ES | spain | spain spanish espan* spanij* spanj*
CZ | czechia | czech* cesk* ceske
SK | slovakia | slovak* slovack*
TR | turkey | turkey turkish turkiye tursk* turqi*
KR | korea | korea* korej*
CA | canada | canad* kanad*
PL | poland | poland polish poljsk*
HU | hungary | hungar* madjarsk* hungari*
LU | luxembourg | luxembourg* luksemburg*
IE | ireland | ireland irish irsk*
BE | belgium | belgi*
"""

# Cities, towns and regions whose names appear in organisation names. `canonical/alt/alt*`; regions too.
PLACES = """
BA | sarajevo/sarajev* banjaluka/banja_luka/banjaluk*/banjoj_luci mostar/mostar* tuzla/tuzl* zenica/zenic*
BA | bihac/bihac* prijedor/prijedor* trebinje/trebinj* doboj/doboj* bijeljina/bijeljin* brcko/brcko*
BA | zavidovici/zavidovic* jablanica/jablanic* nevesinje/nevesinj* zepce/zepc* maglaj/maglaj* novigrad/novi_grad
BA | kostajnica/kostajnic* berkovici/berkovic* travnik/travnik* gorazde/gorazd* konjic/konjic* cazin/cazin*
BA | srebrenica/srebrenic* visoko/visokom gradacac/gradacac* livno/livnu sirokibrijeg/siroki_brijeg
BA | capljina/capljin* foca/foci/foce kakanj/kakanj* lukavac/lukavac* velikakladusa/velika_kladusa
BA | sanskimost/sanski_most bugojno/bugojn* tesanj/tesanj* ravno herzegovina/hercegovin*/herzegovin*
BA | srpska/republika_srpska/republike_srpske/republici_srpskoj/republiku_srpsku/република_српска/републике_српске
BA | posavina/posavin* krajina/krajin*
RS | belgrade/beograd*/belgrad* novisad/novi_sad/novom_sadu/novog_sada nis/nisu kragujevac/kragujevc*
RS | subotica/subotic* zrenjanin/zrenjanin* pancevo/pancev* cacak/cacku kraljevo/kraljev*
RS | novipazar/novi_pazar/novom_pazaru leskovac/leskovc* smederevo/smederev* valjevo/valjev* vranje/vranj*
RS | sabac/sapcu uzice/uzic* sombor/sombor* zajecar/zajecar* pirot/pirot* krusevac/krusevc*
RS | sremskikarlovci/sremski_karlovci bujanovac/bujanovc* presevo/presev* vojvodina/vojvodin* sandzak/sandzak*
XK | pristina/prishtin*/pristin* prizren/prizren* peja/peje/pejes/pec/peci gjakova/gjakov*/djakovic*
XK | mitrovica/mitrovic*/mitrovica_south/south_mitrovica/juzna_mitrovica/mitrovice_e_jugut/mitrovices_se_jugut
XK | mitrovicanorth/north_mitrovica/mitrovica_north/severna_mitrovica/mitrovice_e_veriut
XK | mitrovicanorth/mitrovica_e_veriut/mitrovices_se_veriut
XK | ferizaj/ferizaj*/urosevac/urosevc* gjilan/gjilan*/gnjilan* vushtrri/vushtrri*/vucitrn* podujeva/podujev*
XK | zvecan/zvecan* leposavic/leposavic* zubinpotok/zubin_potok strpce/shterpc* dragash/dragash*
XK | rahovec/rahovec*/orahovac* suhareka/suharek* malisheva/malishev* skenderaj/skenderaj* kamenica/kamenic*
XK | lipjan/lipjan* obiliq/obiliq*/obilic* fushekosova/fushe_kosove/fushe_kosova/kosovo_polje
ME | podgorica/podgoric* niksic/niksic* budva/budv* hercegnovi/herceg_novi/hercegnov* kotor/kotor* cetinje/cetinj*
ME | pljevlja/pljevlj* bijelopolje/bijelo_polje/bijelom_polju berane/beran* ulcinj/ulcinj*/ulqin* tivat/tivat*
ME | rozaje/rozaj* kolasin/kolasin* mojkovac/mojkovac* danilovgrad/danilovgrad* zabljak/zabljak*
MK | skopje/skopj*/shkup* bitola/bitol* kumanovo/kumanov* prilep/prilep* tetovo/tetov* ohrid/ohrid*/oher*
MK | veles/veles* stip/stipu strumica/strumic* kavadarci/kavadarc* kocani/kocani* kicevo/kicev* struga/strugi
MK | radovis/radovis* gevgelija/gevgelij* debar/debar* krivapalanka/kriva_palanka delcevo/delcev* resen/resen*
MK | pelagonija/pelagonij* polog/polog* gostivar/gostivar*
AL | tirana/tiran* durres/durres*/durrasi/drac* vlora/vlore*/vlores shkodra/shkod*/skadar* elbasan/elbasan*
AL | korca/korce*/korces fier/fieri berat/berati lushnje/lushnj* kavaje/kavaj* pogradec/pogradec*
AL | gjirokaster/gjirokast* saranda/sarand* kukes/kukes* lezhe/lezh* fushearrez/fushe_arrez/fushe_arrezi kruje/kruj*
AL | diber/diber*/dibra/peshkopi* puke/pukes tropoje/tropoj* permet/permet*
"""


@dataclass(frozen=True)
class Vocabulary:
    """Lookup tables built from the data above; `vocabulary()` builds it once."""

    exact: dict[str, tuple[str, str]]   # folded word → (kind, value); kinds: legal, country, place, concept, stop
    stems: dict[str, tuple[str, str]]   # folded stem → (kind, value)
    phrases: dict[tuple[str, ...], tuple[str, str]]   # folded token tuple → (kind, value)
    render: dict[str, tuple[str, ...]]  # concept → its initials in en, bcs, sq, mk
    place_country: dict[str, str]       # canonical place → country code
    place_initials: dict[str, str]      # canonical place of two or more words → its initials (banjaluka → bl)
    country_names: dict[str, str]       # country code → canonical English name
    max_phrase: int


def _forms(column: str) -> list[str]:
    return [f for f in column.split() if f != "-"]


def _folded(form: str) -> str:
    return fold(form.replace("*", "").replace("+", " ").replace("_", " "))


def _add(tables: dict[str, dict], form: str, value: tuple[str, str]) -> None:
    """Route one form to the exact, stem or phrase table; the first entry for a key wins."""
    key = _folded(form)
    if not key or "+" in form:
        return
    if " " in key:
        tables["phrases"].setdefault(tuple(key.split()), value)
    elif form.endswith("*"):
        tables["stems"].setdefault(key, value)
    else:
        tables["exact"].setdefault(key, value)


@cache
def vocabulary() -> Vocabulary:
    """Parse the tables once. Priority on clashes: legal form, country, place, concept, stop word."""
    tables: dict[str, dict] = {"exact": {}, "stems": {}, "phrases": {}}
    render: dict[str, tuple[str, ...]] = {}
    place_country: dict[str, str] = {}
    place_initials: dict[str, str] = {}
    country_names: dict[str, str] = {}
    for form in LEGAL.split():
        _add(tables, form, ("legal", "legal"))
    for line in COUNTRIES.strip().splitlines():
        code, canonical, forms = (c.strip() for c in line.split("|"))
        country_names[code] = canonical.replace("_", " ")
        for form in _forms(forms):
            _add(tables, form, ("country", code))
    for line in PLACES.strip().splitlines():
        code, entries = (c.strip() for c in line.split("|"))
        for entry in entries.split():
            alts = entry.split("/")
            canonical = _folded(alts[0]).replace(" ", "")
            place_country[canonical] = code
            multi = [_folded(a) for a in alts if "_" in a]
            if multi:
                place_initials.setdefault(canonical, "".join(w[:1] for w in multi[0].split()))
            for form in alts:
                _add(tables, form, ("place", canonical))
    for line in CONCEPTS.strip().splitlines():
        cid, *columns = (c.strip() for c in line.split("|"))
        if cid not in render:               # a row continued on the next line keeps the first's initials
            render[cid] = tuple("".join(w[:1] for w in _folded(_forms(col)[0]).split()) for col in columns[:4])
        for col in columns:
            for form in _forms(col):
                _add(tables, form, ("concept", cid))
    for line in STOPS.strip().splitlines():
        sid, *columns = (c.strip() for c in line.split("|"))
        for col in columns:
            for form in _forms(col):
                _add(tables, form, ("stop", sid))
    return Vocabulary(
        exact=tables["exact"], stems=tables["stems"], phrases=tables["phrases"], render=render,
        place_country=place_country, place_initials=place_initials, country_names=country_names,
        max_phrase=max(len(p) for p in tables["phrases"]),
    )
