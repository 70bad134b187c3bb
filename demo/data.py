"""The demo network, as plain data: institutions, curricula with their courses, modules and
lessons, and one demo login per role. `manage.py load_demo_data` turns it into rows and pages.

The institutions stand for the kinds of bodies that make up the Police Academies Network; the
academies' names are illustrative, and every person is invented.

Page bodies use a compact format that the command turns into StreamField blocks:

- a string starting with "## " or "### " is a heading (h2 or h3);
- a string starting with "<" is a rich-text paragraph given as HTML;
- any other string is a plain paragraph;
- a dict with "points" is a callout: {"style": "key_points" | "note" | "warning" | "legal",
  "title": ..., "points": [...]} (style defaults to key points);
- a dict with "outcomes" is a learning-outcomes block: {"intro": ..., "outcomes": [...]}.

Slugs of curricula, courses, modules and lessons default to the slugified title.

Over 500 lines: it is data (the demo network's text), not logic."""

from __future__ import annotations

# ---------------------------------------------------------------------------------------------
# Institutions (country: ISO 3166-1 alpha-2 code, or None for international organisations)
# ---------------------------------------------------------------------------------------------

INSTITUTIONS: list[dict] = [
    # Police academies and training centres
    {
        "slug": "ptc-belgrade",
        "name": "Police Training Centre Belgrade",
        "short_name": "PTC Belgrade",
        "kind": "academy",
        "country": "RS",
        "city": "Belgrade",
        "website": "https://ptc-belgrade.example.org",
        "working_languages": ["sr", "en"],
        "description": (
            "Basic and in-service training for uniformed and criminal police officers in Serbia, "
            "with a regional centre for first-responder training on digital evidence and hate "
            "crime."
        ),
    },
    {
        "slug": "leta-kazakhstan",
        "name": "Law Enforcement Training Academy of Kazakhstan",
        "short_name": "LETA Kazakhstan",
        "kind": "academy",
        "country": "KZ",
        "city": "Almaty",
        "website": "https://leta-kz.example.org",
        "working_languages": ["kk", "ru", "en"],
        "description": (
            "In-service and specialist training for police, drug-control and financial "
            "investigators, with a laboratory for the identification of drugs and chemical "
            "precursors."
        ),
    },
    {
        "slug": "iadoc-ankara",
        "name": "International Academy against Drugs and Organized Crime",
        "short_name": "IADOC Ankara",
        "kind": "academy",
        "country": "TR",
        "city": "Ankara",
        "website": "https://iadoc.example.org",
        "working_languages": ["tr", "en", "ru"],
        "description": (
            "A regional training academy for drug law enforcement and the fight against "
            "organized crime, hosting international courses for officers from Central Asia, the "
            "Caucasus, Afghanistan and the Middle East since the early 2000s."
        ),
    },
    {
        "slug": "ati-domodedovo",
        "name": "Advanced Training Institute for Law Enforcement Officers",
        "short_name": "ATI Domodedovo",
        "kind": "academy",
        "country": "RU",
        "city": "Domodedovo",
        "website": "https://ati-domodedovo.example.org",
        "working_languages": ["ru", "en"],
        "description": (
            "Continuing professional education for criminal investigators, analysts and police "
            "managers, including international courses on criminal intelligence analysis and "
            "drug law enforcement."
        ),
    },
    {
        "slug": "dctc-dushanbe",
        "name": "Drug Control Training Centre Dushanbe",
        "short_name": "DCTC Dushanbe",
        "kind": "academy",
        "country": "TJ",
        "city": "Dushanbe",
        "website": "https://dctc-dushanbe.example.org",
        "working_languages": ["tg", "ru", "fa"],
        "description": (
            "Trains drug-control, border and customs officers of Tajikistan and, in joint "
            "programmes, officers from northern Afghanistan on drug interdiction along the Panj "
            "and Amu Darya rivers."
        ),
    },
    {
        "slug": "police-academy-georgia",
        "name": "Police Academy of Georgia",
        "short_name": "Police Academy Georgia",
        "kind": "academy",
        "country": "GE",
        "city": "Tbilisi",
        "website": "https://police-academy-ge.example.org",
        "working_languages": ["ka", "en"],
        "description": (
            "Initial training for patrol police recruits and in-service courses for detectives "
            "and managers, with a specialised programme on domestic and gender-based violence."
        ),
    },
    {
        "slug": "pec-yerevan",
        "name": "Police Education Centre Yerevan",
        "short_name": "PEC Yerevan",
        "kind": "academy",
        "country": "AM",
        "city": "Yerevan",
        "website": "https://pec-yerevan.example.org",
        "working_languages": ["hy", "ru", "en"],
        "description": (
            "Police education and in-service training in Armenia, including the national "
            "programme on police ethics, integrity and the investigation of corruption offences."
        ),
    },
    {
        "slug": "pta-kyiv",
        "name": "Police Training Academy Kyiv",
        "short_name": "PTA Kyiv",
        "kind": "academy",
        "country": "UA",
        "city": "Kyiv",
        "website": "https://pta-kyiv.example.org",
        "working_languages": ["uk", "en"],
        "description": (
            "Professional development for police officers and police trainers in Ukraine: "
            "democratic policing, teaching methods, and investigation of online fraud."
        ),
    },
    {
        "slug": "police-academy-bishkek",
        "name": "Police Academy Bishkek",
        "short_name": "Police Academy Bishkek",
        "kind": "academy",
        "country": "KG",
        "city": "Bishkek",
        "website": "https://police-academy-kg.example.org",
        "working_languages": ["ky", "ru"],
        "description": (
            "Trains neighbourhood inspectors and juvenile officers of Kyrgyzstan; home of the "
            "national community-policing course developed with local crime-prevention centres."
        ),
    },
    {
        "slug": "ptc-skopje",
        "name": "Police Training Centre Skopje",
        "short_name": "PTC Skopje",
        "kind": "academy",
        "country": "MK",
        "city": "Skopje",
        "website": "https://ptc-skopje.example.org",
        "working_languages": ["mk", "sq", "en"],
        "description": (
            "Basic and specialised training for police officers in North Macedonia, including "
            "the national course on identifying and investigating trafficking in human beings."
        ),
    },
    {
        "slug": "police-academy-moldova",
        "name": "Police Academy of Moldova",
        "short_name": "Police Academy Moldova",
        "kind": "academy",
        "country": "MD",
        "city": "Chișinău",
        "website": "https://police-academy-md.example.org",
        "working_languages": ["ro", "ru", "en"],
        "description": (
            "Higher education and in-service training for the police of Moldova, with courses "
            "on public order, human rights and the policing of assemblies."
        ),
    },
    # OSCE executive structures and field operations
    {
        "slug": "osce-spmu",
        "name": "OSCE Strategic Police Matters Unit",
        "short_name": "OSCE SPMU",
        "kind": "osce",
        "country": None,
        "city": "Vienna",
        "website": "https://www.osce.org/secretariat/policing",
        "working_languages": ["en", "ru"],
        "description": (
            "Part of the Transnational Threats Department of the OSCE Secretariat. Supports "
            "participating States in police development and reform and in the fight against "
            "organized crime, and organises the Police Academies Network."
        ),
    },
    {
        "slug": "osce-mission-to-serbia",
        "name": "OSCE Mission to Serbia",
        "short_name": "OSCE Mission to Serbia",
        "kind": "osce",
        "country": "RS",
        "city": "Belgrade",
        "website": "https://www.osce.org/mission-to-serbia",
        "working_languages": ["en", "sr"],
        "description": (
            "The OSCE field operation in Serbia. Its Security Co-operation Department supports "
            "police reform, with regional courses on cybercrime investigation for South-Eastern "
            "Europe delivered with the Ministry of the Interior."
        ),
    },
    {
        "slug": "osce-bmsc",
        "name": "OSCE Border Management Staff College",
        "short_name": "OSCE BMSC",
        "kind": "osce",
        "country": "TJ",
        "city": "Dushanbe",
        "website": "https://www.osce.org/programme-office-in-dushanbe",
        "working_languages": ["en", "ru"],
        "description": (
            "Staff courses and specialised training for senior and mid-level border, customs and "
            "police officers from OSCE participating States and Partners for Co-operation, "
            "including Afghanistan."
        ),
    },
    # Partner organisations
    {
        "slug": "unodc",
        "name": "United Nations Office on Drugs and Crime",
        "short_name": "UNODC",
        "kind": "partner",
        "country": None,
        "city": "Vienna",
        "website": "https://www.unodc.org",
        "working_languages": ["en", "ru", "fr", "ar"],
        "description": (
            "The United Nations office responsible for drugs, organized crime, corruption and "
            "terrorism prevention; partner of the network for courses on financial "
            "investigations and asset recovery."
        ),
    },
    {
        "slug": "cepol",
        "name": "European Union Agency for Law Enforcement Training",
        "short_name": "CEPOL",
        "kind": "partner",
        "country": None,
        "city": "Budapest",
        "website": "https://www.cepol.europa.eu",
        "working_languages": ["en"],
        "description": (
            "The EU agency that develops and delivers training for law enforcement officials; "
            "opens selected online courses on cybercrime and digital investigations to the "
            "network."
        ),
    },
    {
        "slug": "interpol",
        "name": "International Criminal Police Organization",
        "short_name": "INTERPOL",
        "kind": "partner",
        "country": None,
        "city": "Lyon",
        "website": "https://www.interpol.int",
        "working_languages": ["en", "fr", "es", "ar"],
        "description": (
            "The international police organisation connecting the National Central Bureaus of "
            "its member countries; provides self-paced courses on its notices, databases and "
            "secure communications."
        ),
    },
]


# ---------------------------------------------------------------------------------------------
# Curricula, one constant each; CURRICULA at the end of the file lists them in loading order.
# ---------------------------------------------------------------------------------------------

CYBERCRIME_INVESTIGATION = {
    "institution": "osce-mission-to-serbia",
    "title": "Cybercrime investigation",
    "summary": (
        "A regional programme that builds cybercrime investigation capacity in South-Eastern "
        "Europe: a three-week training of trainers, followed by advanced courses for the "
        "specialised cybercrime units it prepares."
    ),
    "body": [
        "The programme began with a regional cybercrime course in Belgrade for investigators "
        "from six countries of South-Eastern Europe, who were trained as trainers so that they "
        "could pass on what they had learned to colleagues at home.",
        "Graduates of the training of trainers may take the advanced courses, which are taught "
        "by instructors certified in the same methods.",
    ],
    "courses": [
        {
            "slug": "cybercrime-investigation-tot",
            "title": "Cybercrime investigation: regional training of trainers",
            "summary": (
                "Three weeks of residential cybercrime training for police investigators: "
                "computers and operating systems, computer crime, computer forensics and "
                "investigative resources. Graduates are certified to teach the course at home."
            ),
            "thematic_areas": ["cybercrime", "police-training"],
            "target_audience": ["investigators", "trainers", "forensic"],
            "level": "advanced",
            "languages": ["en", "sr"],
            "duration_hours": 120,
            "delivery_modes": ["residential"],
            "is_training_of_trainers": True,
            "prerequisites": (
                "<ul><li>At least two years of experience as a criminal investigator.</li>"
                "<li>Working knowledge of English.</li>"
                "<li>A commitment from your service to let you deliver the course at least "
                "twice in the following year.</li></ul>"
            ),
            "learning_outcomes": [
                "Explain how computers, storage media and operating systems create and keep data "
                "that can become evidence.",
                "Recognise the main forms of cybercrime and the offences that cover them under "
                "the Budapest Convention and national law.",
                "Seize, image and examine digital evidence in a forensically sound way.",
                "Use international channels to preserve and obtain data held abroad.",
                "Deliver the course to colleagues using the trainer's package.",
            ],
            "body": [
                "Cybercrime units cannot be built without investigators who understand the "
                "technology and trainers who can spread that understanding. This course serves "
                "both aims: participants learn to investigate cybercrime and then to teach it.",
                "## How the course runs",
                "The course is held over three consecutive weeks (120 hours) in a computer "
                "laboratory, with one workstation per participant. Mornings combine short "
                "lectures with demonstrations; afternoons are hands-on exercises on prepared "
                "evidence images. In the third week each participant prepares and delivers a "
                "teaching session, assessed by the course instructors.",
                {
                    "style": "note",
                    "title": "After the course",
                    "points": [
                        "Certified trainers receive the full trainer's package in English and "
                        "Serbian.",
                        "Runs they deliver at home are linked to this course, so the network can "
                        "follow the cascade.",
                    ],
                },
            ],
            "modules": [
                {
                    "title": "Computers and operating systems",
                    "summary": "How data is stored, organised and recorded by computers.",
                    "lessons": [
                        {
                            "title": "Inside the computer",
                            "minutes": 45,
                            "summary": "Hardware components and where evidence lives.",
                            "body": [
                                "Every investigation of a computer starts with knowing where "
                                "data can be found. Data is kept in volatile memory (RAM), "
                                "which is lost when power is cut, and on persistent storage: "
                                "hard disks, solid-state drives, memory cards and USB sticks.",
                                "## Storage devices",
                                "A traditional hard disk stores data magnetically on spinning "
                                "platters; deleted data often stays there until it is "
                                "overwritten. Solid-state drives behave differently: the TRIM "
                                "command and wear levelling can erase deleted blocks within "
                                "minutes, so recovery chances are lower and speed matters.",
                                {
                                    "points": [
                                        "RAM holds running programs, open files, network "
                                        "connections and sometimes passwords.",
                                        "Deleted is not the same as erased on a hard disk.",
                                        "On SSDs, deleted data may disappear quickly: image early.",
                                    ],
                                },
                            ],
                        },
                        {
                            "title": "File systems and operating systems",
                            "minutes": 60,
                            "summary": "FAT, NTFS, ext4 and APFS; what the operating system "
                            "records about its user.",
                            "body": [
                                "A file system organises storage into files and folders and "
                                "keeps metadata: names, sizes, and timestamps of creation, "
                                "modification and access. Windows uses NTFS (and FAT32 or exFAT "
                                "on removable media), Linux mostly ext4, and Apple devices "
                                "APFS.",
                                "## Operating-system artefacts",
                                "Operating systems keep records that show what a user did: the "
                                "Windows registry lists connected USB devices and recently "
                                "opened files, event logs record log-ons, and browsers keep "
                                "history, cookies and cached pages. These artefacts often "
                                "prove more than the files themselves.",
                                {
                                    "title": "Exercise",
                                    "style": "note",
                                    "points": [
                                        "On the training image, find the last USB device "
                                        "connected and the time it was first used.",
                                    ],
                                },
                            ],
                        },
                    ],
                },
                {
                    "title": "Computer crime",
                    "summary": "Forms of cybercrime and the legal framework.",
                    "lessons": [
                        {
                            "title": "Forms of cybercrime",
                            "minutes": 45,
                            "summary": "Crimes against computers and crimes committed with them.",
                            "body": [
                                "It is useful to distinguish crimes that target computer "
                                "systems (intrusion, malware, denial of service, ransomware) "
                                "from traditional crimes committed with computers (fraud, "
                                "extortion, child sexual abuse material, drug sales on dark-web "
                                "markets).",
                                "## Who commits cybercrime",
                                "Offenders range from individuals buying ready-made tools to "
                                "organised groups that rent out infrastructure and launder "
                                "proceeds in crypto-assets. Many operate from another country "
                                "than their victims, which makes international co-operation "
                                "part of almost every case.",
                                {
                                    "points": [
                                        "Ask first: was the computer the target, the tool, or "
                                        "only a store of evidence?",
                                        "Most cybercrime cases have an international element.",
                                        "Follow the money as well as the data.",
                                    ],
                                },
                            ],
                        },
                        {
                            "title": "The Budapest Convention and national law",
                            "minutes": 40,
                            "summary": "Substantive offences and procedural powers.",
                            "body": [
                                "The Council of Europe Convention on Cybercrime (Budapest, "
                                "2001) is the main international treaty on cybercrime. It "
                                "defines offences that parties must criminalise and the "
                                "procedural powers investigators need.",
                                {
                                    "style": "legal",
                                    "title": "Budapest Convention, key articles",
                                    "points": [
                                        "Articles 2 to 6: illegal access, illegal interception, "
                                        "data interference, system interference, misuse of "
                                        "devices.",
                                        "Articles 7 and 8: computer-related forgery and fraud.",
                                        "Article 16: expedited preservation of stored data.",
                                        "Article 35: the 24/7 network of contact points.",
                                    ],
                                },
                                "Participants compare these articles with their own criminal "
                                "code and identify which national provision they would use for "
                                "each case study.",
                            ],
                        },
                    ],
                },
                {
                    "title": "Computer forensics and investigative resources",
                    "summary": "Sound handling of digital evidence and where to find help.",
                    "lessons": [
                        {
                            "title": "Seizure and forensic imaging",
                            "minutes": 90,
                            "summary": "From the scene to a verified forensic image.",
                            "body": [
                                "Digital evidence is fragile and easy to change. The aim of "
                                "every step is that another examiner, repeating it, would get "
                                "the same result.",
                                "## At the scene",
                                "Photograph the scene and the screens, decide whether live "
                                "data (memory, open sessions, encryption keys) must be captured "
                                "before shutting down, and record every action with the time.",
                                "## In the laboratory",
                                "Storage media are imaged through a write blocker. The image "
                                "is verified by comparing hash values (for example SHA-256) of "
                                "the source and the copy, and all examination is done on the "
                                "copy.",
                                {
                                    "points": [
                                        "Never examine the original medium.",
                                        "Hash before and after: identical values show the "
                                        "image is complete and unchanged.",
                                        "Keep the chain of custody from seizure to court.",
                                    ],
                                },
                            ],
                        },
                        {
                            "title": "Investigative resources",
                            "minutes": 45,
                            "summary": "Providers, preservation requests and international "
                            "channels.",
                            "body": [
                                "Much of the evidence in a cybercrime case is held by service "
                                "providers: subscriber data, connection logs and content. "
                                "Providers keep logs for limited periods, so a preservation "
                                "request should be sent as soon as the data is identified.",
                                "When data is held abroad, use the 24/7 network of the Budapest "
                                "Convention or police channels such as INTERPOL and Europol to "
                                "preserve it quickly, then follow with mutual legal assistance "
                                "to obtain it as evidence.",
                                {
                                    "style": "warning",
                                    "points": [
                                        "Preservation freezes data; it does not give it to you.",
                                        "Note the time zone of every log you receive.",
                                    ],
                                },
                            ],
                        },
                    ],
                },
                {
                    "title": "Training delivery",
                    "summary": "Preparing to teach the course in your own service.",
                    "lessons": [
                        {
                            "title": "Adapting the course to your country",
                            "minutes": 60,
                            "summary": "Legal references, language and laboratory set-up.",
                            "body": [
                                "The trainer's package gives slides, exercises and evidence "
                                "images. Before teaching, replace the legal references with "
                                "your own criminal code and procedure, translate the exercise "
                                "instructions, and check that your laboratory has the software "
                                "the exercises need.",
                                {
                                    "title": "Checklist before your first run",
                                    "points": [
                                        "National legal references updated.",
                                        "Evidence images copied and hash values checked.",
                                        "A co-trainer found for the practical sessions.",
                                    ],
                                },
                            ],
                        },
                        {
                            "title": "Teaching practice and assessment",
                            "minutes": 120,
                            "summary": "Deliver a 30-minute session and receive feedback.",
                            "body": [
                                "Each participant delivers a 30-minute session from the course "
                                "to the group. Instructors and peers give structured feedback "
                                "on content accuracy, clarity, use of exercises and time "
                                "management.",
                                "Participants who pass the teaching practice and the final "
                                "technical test receive a trainer certificate for this course.",
                            ],
                        },
                    ],
                },
            ],
        },
        {
            "slug": "linux-investigative-tool",
            "title": "Using Linux as an investigative tool",
            "summary": (
                "A week-long advanced cybercrime course on examining evidence with free Linux "
                "tools: imaging, file-system analysis, searching and reporting."
            ),
            "thematic_areas": ["cybercrime"],
            "target_audience": ["forensic", "investigators"],
            "level": "specialist",
            "languages": ["en"],
            "duration_hours": 40,
            "delivery_modes": ["residential"],
            "prerequisites": (
                "<p>Completion of <b>Cybercrime investigation: regional training of trainers</b> "
                "or equivalent forensic experience.</p>"
            ),
            "learning_outcomes": [
                "Acquire and verify forensic images with command-line tools.",
                "Analyse file systems and recover deleted files with The Sleuth Kit.",
                "Search images for keywords and file signatures and report the findings.",
            ],
            "body": [
                "Free and open-source tools let units without large budgets carry out sound "
                "forensic examinations. This course teaches the Linux command line from the "
                "examiner's point of view.",
            ],
            "modules": [
                {
                    "title": "The Linux examination workstation",
                    "summary": "Setting up a safe environment for examinations.",
                    "lessons": [
                        {
                            "title": "Mounting evidence read-only",
                            "minutes": 60,
                            "summary": "How to attach evidence without changing it.",
                            "body": [
                                "Linux does not mount new devices automatically on a properly "
                                "configured examination workstation. Images are attached as "
                                "loop devices and mounted with the read-only option, so that "
                                "nothing can be written to them.",
                                {
                                    "points": [
                                        "Disable automounting on the workstation.",
                                        "Mount with the options ro, noexec and noload where "
                                        "applicable.",
                                        "Record every command you run in your notes.",
                                    ],
                                },
                            ],
                        },
                    ],
                },
                {
                    "title": "Imaging and analysis",
                    "summary": "Acquisition, file-system analysis and searching.",
                    "lessons": [
                        {
                            "title": "Acquiring and verifying images",
                            "minutes": 90,
                            "summary": "dd, dc3dd and hash verification.",
                            "body": [
                                "Tools such as dd and dc3dd copy a device bit by bit into an "
                                "image file; dc3dd can hash the data while copying and log "
                                "read errors. Compare the hash of the image with the hash of "
                                "the source with sha256sum.",
                                "## Exercise",
                                "Image the training USB stick, verify the image and write the "
                                "acquisition note that would go in the case file.",
                            ],
                        },
                        {
                            "title": "File-system analysis with The Sleuth Kit",
                            "minutes": 120,
                            "summary": "Partitions, directory listings and deleted files.",
                            "body": [
                                "The Sleuth Kit works directly on images: mmls lists "
                                "partitions, fls lists files including deleted entries, and "
                                "icat extracts a file by its metadata address. Together with "
                                "grep and strings they answer most first questions about a "
                                "disk.",
                                {
                                    "points": [
                                        "mmls: where does each partition start?",
                                        "fls -r -d: which deleted files are listed?",
                                        "icat: extract the file and hash it.",
                                    ],
                                },
                            ],
                        },
                    ],
                },
            ],
        },
    ],
}

FRONTLINE_POLICING = {
    "institution": "ptc-belgrade",
    "title": "Frontline policing",
    "summary": (
        "Short in-service courses for patrol and duty officers, who are often the first to "
        "meet digital evidence, victims of hate crime and other situations that need care "
        "from the first minute."
    ),
    "courses": [
        {
            "title": "Digital evidence for first responders",
            "summary": (
                "What every patrol officer must know about phones, computers and other devices "
                "found at a scene, so that cybercrime and other investigations do not lose "
                "evidence in the first hour."
            ),
            "thematic_areas": ["cybercrime", "police-training"],
            "target_audience": ["police"],
            "level": "introductory",
            "languages": ["sr", "en"],
            "duration_hours": 8,
            "delivery_modes": ["self_paced", "blended"],
            "learning_outcomes": [
                "Recognise devices and media that may hold evidence.",
                "Secure a scene with digital devices without altering them.",
                "Package, label and hand over devices with a complete record.",
            ],
            "body": [
                "Almost every crime now leaves digital traces. This short course prepares "
                "first responders to protect them until specialists take over.",
            ],
            "modules": [
                {
                    "title": "Recognising digital evidence",
                    "summary": "Devices, media and the data they may hold.",
                    "lessons": [
                        {
                            "title": "What counts as digital evidence",
                            "minutes": 20,
                            "summary": "Phones, computers, routers, cameras and more.",
                            "body": [
                                "Digital evidence is any information of value to an "
                                "investigation that is stored or transmitted in digital form. "
                                "Beyond phones and computers, think of routers, smart watches, "
                                "game consoles, vehicle systems, CCTV recorders and cloud "
                                "accounts open on a screen.",
                                {
                                    "points": [
                                        "Look for small media: memory cards, USB sticks, SIM "
                                        "cards.",
                                        "Note written passwords and PIN codes near devices.",
                                        "Seize chargers and cables with the devices.",
                                    ],
                                },
                            ],
                        },
                    ],
                },
                {
                    "title": "Securing the scene",
                    "summary": "The first actions, and the mistakes to avoid.",
                    "lessons": [
                        {
                            "title": "Phones and computers at the scene",
                            "minutes": 30,
                            "summary": "Switched on or off? Isolate, photograph, record.",
                            "body": [
                                "## Mobile phones",
                                "If a phone is on, keep it on and isolate it from the network "
                                "(airplane mode if you can do so without browsing, or a "
                                "shielding bag), so that it cannot be wiped remotely. If it is "
                                "off, leave it off.",
                                "## Computers",
                                "Do not switch a running computer off or browse its contents. "
                                "Photograph the screen and call a specialist: memory and open "
                                "encrypted volumes may be lost at shutdown. If no specialist "
                                "can come, follow your service's instructions for removing "
                                "power.",
                                {
                                    "style": "warning",
                                    "points": [
                                        "Never look through a suspect's phone out of "
                                        "curiosity: every touch changes data.",
                                        "Keep people away from devices from the moment you arrive.",
                                    ],
                                },
                            ],
                        },
                        {
                            "title": "Packaging and chain of custody",
                            "minutes": 20,
                            "summary": "Bags, labels and the seizure record.",
                            "body": [
                                "Package each device separately in an antistatic or paper "
                                "bag, sealed and labelled with the case number, the item "
                                "number, where it was found, who seized it and when. Record "
                                "every hand-over on the chain-of-custody form.",
                            ],
                        },
                    ],
                },
            ],
        },
        {
            "title": "Recognising and responding to hate crime",
            "summary": (
                "How to recognise bias indicators, record hate crimes correctly and support "
                "their victims, for patrol officers and investigators."
            ),
            "thematic_areas": ["victims-hate-crime", "human-rights"],
            "target_audience": ["police", "investigators"],
            "level": "intermediate",
            "languages": ["sr", "en"],
            "duration_hours": 16,
            "delivery_modes": ["blended"],
            "learning_outcomes": [
                "Define a hate crime and distinguish it from hate speech.",
                "Identify and record bias indicators at the scene.",
                "Respond to victims in a way that acknowledges the bias motive and their needs.",
            ],
            "body": [
                "Hate crimes send a message of rejection to a whole community. Recognising the "
                "bias motive from the first report makes the difference in investigation, "
                "prosecution and the victim's trust in the police.",
            ],
            "modules": [
                {
                    "title": "Understanding hate crime",
                    "summary": "Definition, impact and legal framework.",
                    "lessons": [
                        {
                            "title": "What makes a crime a hate crime",
                            "minutes": 40,
                            "summary": "A criminal offence committed with a bias motive.",
                            "body": [
                                "A hate crime has two elements: a criminal offence under "
                                "ordinary criminal law, and a bias motive. The offender "
                                "selects the victim or the target, such as a place of worship, "
                                "because of a protected characteristic: ethnicity, religion, "
                                "sexual orientation, disability or others listed in national "
                                "law.",
                                "Hate speech that is not itself a criminal offence under "
                                "national law is not a hate crime, though it may be a useful "
                                "indicator.",
                                {
                                    "points": [
                                        "Offence + bias motive = hate crime.",
                                        "The impact reaches the victim's whole community.",
                                        "Under-reporting is the rule, not the exception.",
                                    ],
                                },
                            ],
                        },
                    ],
                },
                {
                    "title": "Investigation and victim support",
                    "summary": "Bias indicators, recording and the victim's needs.",
                    "lessons": [
                        {
                            "title": "Bias indicators",
                            "minutes": 45,
                            "summary": "Facts that suggest the offence was motivated by bias.",
                            "body": [
                                "Bias indicators are objective facts that point to a bias "
                                "motive. They do not prove it, but they oblige the police to "
                                "investigate it and to record the case as a possible hate "
                                "crime.",
                                {
                                    "title": "Common bias indicators",
                                    "points": [
                                        "The victim or witnesses perceive the offence as "
                                        "motivated by bias.",
                                        "Comments, gestures, graffiti or symbols used by the "
                                        "offender.",
                                        "The date or place: a religious holiday, a place of "
                                        "worship, a community centre.",
                                        "Involvement of an organised hate group.",
                                        "No other apparent motive.",
                                    ],
                                },
                            ],
                        },
                        {
                            "title": "Supporting victims of hate crime",
                            "minutes": 30,
                            "summary": "Acknowledge, inform, protect and refer.",
                            "body": [
                                "Victims of hate crime often fear repeat attacks and may "
                                "distrust the police. Acknowledge what happened and its "
                                "motive, explain the next steps of the procedure, assess the "
                                "risk of repeat victimisation, and refer the victim to "
                                "specialised support organisations.",
                                "<p>Record the victim's perception of the motive in their own "
                                "words: it is a bias indicator in itself.</p>",
                            ],
                        },
                    ],
                },
            ],
        },
    ],
}

DRUG_LAW_ENFORCEMENT = {
    "institution": "iadoc-ankara",
    "title": "Drug law enforcement",
    "summary": (
        "International courses on drug searches, precursor control and operations against "
        "drug-trafficking networks, including a trainer course whose graduates teach "
        "counter-narcotics in their own services."
    ),
    "body": [
        "Officers from Afghanistan, Central Asia and neighbouring regions have been trained "
        "here alongside other academies of the network in Kazakhstan, the Russian Federation "
        "and Tajikistan. Trainers certified on this curriculum pass the courses on in their own "
        "countries and languages.",
    ],
    "courses": [
        {
            "slug": "counter-narcotics-trainer-course",
            "title": "Counter-narcotics trainer course",
            "summary": (
                "Training of trainers on drug searches of vehicles, persons and premises and on "
                "the control of chemical precursors, for officers who will train frontline "
                "counter-narcotics staff in their own countries."
            ),
            "thematic_areas": ["illicit-drugs", "police-training", "border-management"],
            "target_audience": ["trainers", "police", "border_guards", "customs"],
            "level": "advanced",
            "languages": ["ru", "en", "tr"],
            "duration_hours": 80,
            "delivery_modes": ["residential"],
            "is_training_of_trainers": True,
            "prerequisites": (
                "<ul><li>Three years of service in drug law enforcement, border or customs."
                "</li><li>Nomination by your service, which undertakes to use you as a "
                "trainer.</li></ul>"
            ),
            "learning_outcomes": [
                "Plan and carry out systematic searches of vehicles, persons and premises.",
                "Recognise concealment methods and use detection equipment and field tests "
                "correctly.",
                "Identify the main chemical precursors and the controls that apply to them.",
                "Deliver the course's search and precursor modules to frontline officers.",
            ],
            "body": [
                "Two weeks of residential training combining classroom work, practical "
                "searches on the academy's training vehicles and containers, and teaching "
                "practice. Interpretation between Russian, English and Turkish is provided.",
                {
                    "style": "note",
                    "title": "The cascade",
                    "points": [
                        "Each graduate delivers at least two national courses within a year.",
                        "National courses use the trainer's package translated into the local "
                        "language, including Dari and Pashto for Afghan services.",
                    ],
                },
            ],
            "modules": [
                {
                    "title": "Drug markets and trafficking routes",
                    "summary": "What is trafficked, where, and how it is hidden.",
                    "lessons": [
                        {
                            "title": "Routes and trends",
                            "minutes": 45,
                            "summary": "Opiates, cannabis and synthetic drugs in the region.",
                            "body": [
                                "Heroin and opium produced in Afghanistan leave the country by "
                                "several routes, among them the northern route through "
                                "Central Asia towards the Russian Federation and the Balkan "
                                "route through Iran and Türkiye towards Europe. Synthetic "
                                "drugs, notably methamphetamine, are a growing share of "
                                "seizures.",
                                "Traffickers adapt quickly to enforcement, so trainers must "
                                "keep their examples current with recent seizure reports.",
                            ],
                        },
                    ],
                },
                {
                    "title": "Searches of vehicles, persons and premises",
                    "summary": "Systematic, lawful and safe searches.",
                    "lessons": [
                        {
                            "title": "Searching vehicles",
                            "minutes": 90,
                            "summary": "A systematic method and the signs of a concealment.",
                            "body": [
                                "A search that follows a fixed order misses less. Work from "
                                "the outside in: exterior and undercarriage, wheels, engine "
                                "compartment, passenger area, luggage space, then the load.",
                                "## Signs of a concealment",
                                {
                                    "points": [
                                        "Fresh tool marks, new screws or non-factory welds.",
                                        "Fresh paint, underseal or carpet glue.",
                                        "A fuel tank or panel that sounds or weighs wrong.",
                                        "Differences between the inside and outside dimensions.",
                                    ],
                                },
                                "Detection dogs, density meters and fibre-optic scopes confirm "
                                "suspicions without damaging the vehicle.",
                            ],
                        },
                        {
                            "title": "Searching persons and field tests",
                            "minutes": 60,
                            "summary": "Legal basis, dignity, officer safety, presumptive tests.",
                            "body": [
                                "A person is searched only on a legal basis and by an officer "
                                "of the same sex, with respect for dignity. Suspected internal "
                                "carriers (swallowers) are a medical emergency risk and are "
                                "handled with medical staff.",
                                "Field test kits give a presumptive result only: the "
                                "substance must be confirmed by a laboratory.",
                                {
                                    "style": "warning",
                                    "title": "Officer safety",
                                    "points": [
                                        "Wear gloves; never smell or taste a substance.",
                                        "Treat unknown powders as potentially containing "
                                        "fentanyl or other potent opioids.",
                                    ],
                                },
                            ],
                        },
                    ],
                },
                {
                    "title": "Precursor control",
                    "summary": "The chemicals drugs are made from, and how they are diverted.",
                    "lessons": [
                        {
                            "title": "Key precursors and their controls",
                            "minutes": 60,
                            "summary": "Acetic anhydride, ephedrine, P-2-P and others.",
                            "body": [
                                "Illicit drug production depends on chemicals that also have "
                                "legitimate industrial uses. Acetic anhydride is essential for "
                                "turning morphine into heroin; ephedrine, pseudoephedrine and "
                                "P-2-P are used for methamphetamine.",
                                {
                                    "style": "legal",
                                    "points": [
                                        "1988 UN Convention against Illicit Traffic, Article "
                                        "12: control of substances in Tables I and II.",
                                        "Pre-export notifications between governments flag "
                                        "suspicious shipments.",
                                    ],
                                },
                            ],
                        },
                    ],
                },
                {
                    "title": "Teaching the course",
                    "summary": "Practical teaching of searches and assessment of trainees.",
                    "lessons": [
                        {
                            "title": "Teaching practical searches",
                            "minutes": 90,
                            "summary": "Demonstrate, practise, debrief.",
                            "body": [
                                "Practical skills are learned by doing. Demonstrate a search "
                                "once at normal speed and once step by step, let trainees "
                                "search a prepared vehicle in pairs, then debrief: what was "
                                "found, what was missed, and why.",
                                {
                                    "points": [
                                        "Prepare concealments of increasing difficulty.",
                                        "Use inert training substitutes, never real drugs.",
                                        "Assess against a checklist, not impressions.",
                                    ],
                                },
                            ],
                        },
                    ],
                },
            ],
        },
        {
            "title": "Controlled deliveries",
            "summary": (
                "Planning and running controlled deliveries of drugs across borders to identify "
                "the organisers of trafficking networks rather than only the couriers."
            ),
            "thematic_areas": ["illicit-drugs", "organized-crime"],
            "target_audience": ["investigators", "customs", "prosecutors"],
            "level": "advanced",
            "languages": ["tr", "en"],
            "duration_hours": 24,
            "delivery_modes": ["residential"],
            "learning_outcomes": [
                "Decide whether a seizure should become a controlled delivery.",
                "Plan the legal, operational and international steps of a controlled delivery.",
            ],
            "modules": [
                {
                    "title": "Deciding and planning",
                    "summary": "Legal basis, criteria and international co-ordination.",
                    "lessons": [
                        {
                            "title": "When to let a consignment run",
                            "minutes": 45,
                            "summary": "Criteria for a controlled delivery.",
                            "body": [
                                "A controlled delivery lets an illicit consignment continue, "
                                "under surveillance and with the authorities' agreement, so as "
                                "to identify the people who organise the trafficking. The "
                                "1988 UN Convention (Article 11) and the UN Convention against "
                                "Transnational Organized Crime (Article 20) provide the basis "
                                "for using it across borders.",
                                {
                                    "points": [
                                        "Is there a legal basis in every country the "
                                        "consignment will cross?",
                                        "Can the consignment be kept under control at all times?",
                                        "Will the drugs be replaced by a substitute?",
                                    ],
                                },
                            ],
                        },
                    ],
                },
                {
                    "title": "Running the operation",
                    "summary": "Surveillance, communication and ending the operation.",
                    "lessons": [
                        {
                            "title": "Surveillance and the point of arrest",
                            "minutes": 60,
                            "summary": "Keeping control and choosing the moment to act.",
                            "body": [
                                "One commander and one communication channel between the "
                                "countries involved keep the operation under control. Agree "
                                "in advance on the conditions for ending it early, for "
                                "example if contact with the consignment is lost.",
                                "The arrest is made when the consignment reaches the people "
                                "the operation is aimed at, and evidence is gathered so that "
                                "each country can prosecute its part of the network.",
                            ],
                        },
                    ],
                },
            ],
        },
    ],
}

PRECURSOR_CONTROL = {
    "institution": "leta-kazakhstan",
    "title": "Chemical precursor control",
    "summary": (
        "Courses for police, customs and regulatory officers on identifying chemical "
        "precursors and preventing their diversion to illicit drug manufacture."
    ),
    "courses": [
        {
            "title": "Chemical precursors: identification and control",
            "summary": (
                "Recognising the chemicals used to make heroin and synthetic drugs, checking "
                "shipments and licences, and detecting diversion from legitimate trade."
            ),
            "thematic_areas": ["illicit-drugs", "border-management"],
            "target_audience": ["customs", "police", "border_guards"],
            "level": "intermediate",
            "languages": ["kk", "ru"],
            "duration_hours": 20,
            "delivery_modes": ["blended"],
            "learning_outcomes": [
                "Identify the main precursor chemicals from documents, labels and packaging.",
                "Check a consignment against its licence and pre-export notification.",
                "Handle and sample chemicals safely.",
            ],
            "modules": [
                {
                    "title": "Precursors and their uses",
                    "summary": "Which chemicals are controlled and why.",
                    "lessons": [
                        {
                            "title": "Controlled chemicals",
                            "minutes": 40,
                            "summary": "Tables I and II of the 1988 Convention.",
                            "body": [
                                "Precursors are chemicals that become part of the final drug; "
                                "essential chemicals (solvents, acids) are used in the process. "
                                "The 1988 UN Convention lists them in Table I (the most "
                                "closely controlled) and Table II.",
                                {
                                    "points": [
                                        "Acetic anhydride: heroin.",
                                        "Ephedrine, pseudoephedrine, P-2-P: methamphetamine.",
                                        "Potassium permanganate: cocaine.",
                                        "Safrole and PMK: MDMA.",
                                    ],
                                },
                            ],
                        },
                        {
                            "title": "Diversion methods",
                            "minutes": 30,
                            "summary": "How legitimate trade is abused.",
                            "body": [
                                "Traffickers order chemicals through front companies, falsify "
                                "end-user certificates, mislabel consignments as other "
                                "chemicals, or buy uncontrolled 'designer' pre-precursors "
                                "that can easily be converted.",
                            ],
                        },
                    ],
                },
                {
                    "title": "Checks and safe handling",
                    "summary": "Documents, inspection and sampling.",
                    "lessons": [
                        {
                            "title": "Inspecting a consignment",
                            "minutes": 45,
                            "summary": "Documents first, then the goods.",
                            "body": [
                                "Compare the invoice, licence and transport documents: the "
                                "quantity, the consignee and the route must match. Unusual "
                                "routes, cash payment and consignees without a plausible "
                                "industrial use are warning signs.",
                                {
                                    "style": "warning",
                                    "title": "Safety",
                                    "points": [
                                        "Never open a container without protective equipment.",
                                        "Sample only with the kit and procedure of your service.",
                                        "Acids, solvents and oxidisers must not be stored "
                                        "together.",
                                    ],
                                },
                            ],
                        },
                    ],
                },
            ],
        },
    ],
}

CRIMINAL_INTELLIGENCE = {
    "institution": "ati-domodedovo",
    "title": "Criminal intelligence",
    "summary": (
        "Analysis of criminal information and its use in deciding where police resources go: "
        "courses for analysts and for the managers who task them."
    ),
    "courses": [
        {
            "title": "Criminal intelligence analysis: fundamentals",
            "summary": (
                "The intelligence cycle, evaluation of sources and information, and the basic "
                "analytical techniques used against organized crime groups."
            ),
            "thematic_areas": ["intelligence-led-policing", "organized-crime"],
            "target_audience": ["analysts", "investigators"],
            "level": "intermediate",
            "languages": ["ru"],
            "duration_hours": 40,
            "delivery_modes": ["residential"],
            "learning_outcomes": [
                "Describe each stage of the intelligence cycle.",
                "Grade sources and information with a standard evaluation system.",
                "Produce association and event charts from case data.",
                "Write a short analytical report with inferences and recommendations.",
            ],
            "modules": [
                {
                    "title": "The intelligence cycle",
                    "summary": "From tasking to dissemination.",
                    "lessons": [
                        {
                            "title": "Stages of the cycle",
                            "minutes": 40,
                            "summary": "Direction, collection, evaluation, collation, "
                            "analysis, dissemination.",
                            "body": [
                                "Intelligence is information that has been evaluated and "
                                "analysed to support a decision. The cycle starts with a "
                                "question from a decision-maker, and ends when the answer "
                                "reaches them in a form they can use; their feedback starts "
                                "the next round.",
                                {
                                    "points": [
                                        "No tasking, no useful intelligence.",
                                        "Collation makes information retrievable; analysis "
                                        "makes it meaningful.",
                                        "Dissemination follows the need-to-know principle.",
                                    ],
                                },
                            ],
                        },
                        {
                            "title": "Evaluating sources and information",
                            "minutes": 45,
                            "summary": "Reliability of the source, validity of the content.",
                            "body": [
                                "Every item is graded twice: how reliable its source has "
                                "proven to be, and how far the information itself is "
                                "confirmed. Grading separately avoids trusting a false report "
                                "because of a good source, or dismissing a true one from a new "
                                "source.",
                                "Handling codes state who may receive the item and under what "
                                "conditions, protecting sources and personal data.",
                            ],
                        },
                    ],
                },
                {
                    "title": "Analytical techniques",
                    "summary": "Charts, timelines and reports.",
                    "lessons": [
                        {
                            "title": "Association and event charts",
                            "minutes": 90,
                            "summary": "Showing who is linked to whom, and what happened when.",
                            "body": [
                                "An association chart shows people, companies, phones and "
                                "vehicles as entities, with lines for the links between them; "
                                "confirmed and unconfirmed links are drawn differently. An "
                                "event chart places events on a timeline to reveal sequences "
                                "and patterns.",
                                "## Exercise",
                                "From the telephone records and surveillance logs of the case "
                                "study, chart the network and identify who co-ordinates the "
                                "couriers.",
                            ],
                        },
                        {
                            "title": "Writing the analytical report",
                            "minutes": 60,
                            "summary": "Inferences, hypotheses and recommendations.",
                            "body": [
                                "A report answers the question it was tasked with, separates "
                                "facts from inferences, states how confident the analyst is, "
                                "and ends with recommendations the reader can act on.",
                                {
                                    "points": [
                                        "Bottom line first.",
                                        "Every inference traceable to evaluated information.",
                                        "Alternative hypotheses considered and tested.",
                                    ],
                                },
                            ],
                        },
                    ],
                },
            ],
        },
        {
            "title": "Intelligence-led policing for police managers",
            "summary": (
                "How senior managers use threat assessments and tasking meetings to set "
                "priorities and direct resources against the most harmful crime."
            ),
            "thematic_areas": ["intelligence-led-policing", "police-development-reform"],
            "target_audience": ["managers"],
            "level": "advanced",
            "languages": ["ru", "en"],
            "duration_hours": 16,
            "delivery_modes": ["online"],
            "learning_outcomes": [
                "Explain the principles of intelligence-led policing to their staff.",
                "Chair a tasking and co-ordination meeting.",
                "Use a threat assessment to set control strategies and priorities.",
            ],
            "modules": [
                {
                    "title": "Principles of intelligence-led policing",
                    "summary": "From reacting to incidents to targeting harm.",
                    "lessons": [
                        {
                            "title": "Why intelligence-led policing",
                            "minutes": 30,
                            "summary": "A business model for police decision-making.",
                            "body": [
                                "Intelligence-led policing puts analysis at the centre of "
                                "decisions: priorities, operations and resources follow from "
                                "an assessment of threats and harm rather than from habit or "
                                "the volume of calls.",
                                "It works only when managers ask analysts the right "
                                "questions, act on their products, and respect legal limits "
                                "on the collection and use of personal data.",
                            ],
                        },
                    ],
                },
                {
                    "title": "Tasking and co-ordination",
                    "summary": "Turning assessments into decisions.",
                    "lessons": [
                        {
                            "title": "The tasking and co-ordination meeting",
                            "minutes": 45,
                            "summary": "Strategic and tactical meetings, and their records.",
                            "body": [
                                "At strategic level, the meeting sets priorities for the "
                                "coming months on the basis of the threat assessment. At "
                                "tactical level, it assigns resources to targets, problems "
                                "and hot spots, and reviews results every few weeks.",
                                {
                                    "points": [
                                        "Decisions recorded with their reasons.",
                                        "Each task has an owner and a deadline.",
                                        "Results reviewed against the priorities.",
                                    ],
                                },
                            ],
                        },
                    ],
                },
            ],
        },
    ],
}

BORDER_SECURITY = {
    "institution": "osce-bmsc",
    "title": "Border security and management",
    "summary": (
        "Staff courses for border, customs and police officers on risk analysis at border "
        "crossing points and on preventing the movement of terrorists and illicit goods."
    ),
    "courses": [
        {
            "title": "Risk analysis at border crossing points",
            "summary": (
                "Building and using risk profiles to select travellers, vehicles and goods for "
                "closer checks, without discrimination and with limited resources."
            ),
            "thematic_areas": ["border-management", "intelligence-led-policing"],
            "target_audience": ["border_guards", "customs", "analysts"],
            "level": "intermediate",
            "languages": ["en", "ru"],
            "duration_hours": 30,
            "delivery_modes": ["residential"],
            "learning_outcomes": [
                "Assess risks in terms of threat, vulnerability and impact.",
                "Build a risk profile from indicators and keep it up to date.",
                "Organise first- and second-line checks around the profiles.",
            ],
            "modules": [
                {
                    "title": "Risk analysis models",
                    "summary": "Threat, vulnerability and impact.",
                    "lessons": [
                        {
                            "title": "Assessing risk",
                            "minutes": 45,
                            "summary": "A common model for border risk analysis.",
                            "body": [
                                "Risk is assessed as a combination of threat (the intent and "
                                "capability of those who want to cross illegally or smuggle), "
                                "vulnerability (the weaknesses of the border and its "
                                "controls) and impact (the consequences if the threat "
                                "succeeds).",
                                {
                                    "points": [
                                        "Use seizure, refusal and detection data from the "
                                        "crossing point itself.",
                                        "Share analysis with neighbouring services.",
                                        "Reassess when routes or methods change.",
                                    ],
                                },
                            ],
                        },
                    ],
                },
                {
                    "title": "Profiles and checks",
                    "summary": "From indicators to decisions at the booth.",
                    "lessons": [
                        {
                            "title": "Building risk profiles",
                            "minutes": 60,
                            "summary": "Indicators, not stereotypes.",
                            "body": [
                                "A risk profile combines objective indicators (routes, ticket "
                                "purchase, document features, cargo declarations) that, "
                                "together, justify a closer check. Profiles based on "
                                "ethnicity, religion or nationality alone are discriminatory "
                                "and also ineffective.",
                                {
                                    "style": "warning",
                                    "points": [
                                        "Review each profile's hit rate regularly.",
                                        "Withdraw profiles that no longer produce results.",
                                    ],
                                },
                            ],
                        },
                        {
                            "title": "First- and second-line checks",
                            "minutes": 40,
                            "summary": "Who checks what, and when to refer.",
                            "body": [
                                "First-line officers check every traveller quickly and refer "
                                "those who match a profile or raise suspicion to the second "
                                "line, where specialists have time, equipment and database "
                                "access for a thorough check.",
                            ],
                        },
                    ],
                },
            ],
        },
        {
            "title": "Preventing the movement of foreign terrorist fighters",
            "summary": (
                "Border measures against the travel of foreign terrorist fighters: watchlists, "
                "advance passenger information, document security and international "
                "co-operation, with respect for human rights."
            ),
            "thematic_areas": ["terrorism", "border-management", "human-rights"],
            "target_audience": ["border_guards", "police", "analysts"],
            "level": "advanced",
            "languages": ["en", "ru"],
            "duration_hours": 24,
            "delivery_modes": ["residential", "online"],
            "learning_outcomes": [
                "Explain States' obligations under UN Security Council resolutions 2178 and 2396.",
                "Use advance passenger information and watchlists in border checks.",
                "Apply behavioural indicators lawfully and without discrimination.",
            ],
            "modules": [
                {
                    "title": "Framework and tools",
                    "summary": "Obligations, passenger data and databases.",
                    "lessons": [
                        {
                            "title": "International obligations",
                            "minutes": 40,
                            "summary": "What the Security Council requires of States.",
                            "body": [
                                "Resolution 2178 (2014) requires States to prevent the "
                                "movement of foreign terrorist fighters through effective "
                                "border controls. Resolution 2396 (2017) adds advance "
                                "passenger information (API), passenger name records (PNR), "
                                "watchlists and biometrics.",
                                {
                                    "style": "legal",
                                    "points": [
                                        "UNSCR 2178 (2014): border controls, criminalisation "
                                        "of travel for terrorist purposes.",
                                        "UNSCR 2396 (2017): API, PNR, biometrics, watchlists.",
                                    ],
                                },
                            ],
                        },
                        {
                            "title": "Passenger data and watchlists",
                            "minutes": 45,
                            "summary": "API, PNR and database queries at the border.",
                            "body": [
                                "API gives identity data of passengers before arrival; PNR "
                                "adds booking details such as payment and itinerary. Checked "
                                "against national and INTERPOL databases, they let officers "
                                "prepare before the flight lands.",
                                "Data protection rules limit who may access the data, for "
                                "what purpose and for how long.",
                            ],
                        },
                    ],
                },
                {
                    "title": "At the border",
                    "summary": "Interviews, indicators and human rights.",
                    "lessons": [
                        {
                            "title": "Indicators and interviews",
                            "minutes": 60,
                            "summary": "Behaviour, travel patterns and respect for rights.",
                            "body": [
                                "Indicators concern behaviour and circumstances: an unusual "
                                "route, inconsistent explanations, one-way tickets bought at "
                                "the last minute. Religious practice, appearance or "
                                "nationality are not indicators.",
                                {
                                    "points": [
                                        "Interview with open questions and record answers.",
                                        "Refer to specialised units; do not improvise arrests.",
                                        "Every measure must have a legal basis and be "
                                        "proportionate.",
                                    ],
                                },
                            ],
                        },
                    ],
                },
            ],
        },
    ],
}

DRUG_INTERDICTION = {
    "institution": "dctc-dushanbe",
    "title": "Drug interdiction",
    "summary": (
        "Courses for border, customs and drug-control officers on stopping drug trafficking "
        "across the Tajik-Afghan border, open to officers from northern Afghanistan."
    ),
    "courses": [
        {
            "title": "Drug interdiction along the Tajik-Afghan border",
            "summary": (
                "Patrolling, observation, searches and joint operations against drug "
                "trafficking on the Panj and Amu Darya rivers, taught in Tajik, Russian and "
                "Dari."
            ),
            "thematic_areas": ["illicit-drugs", "border-management", "organized-crime"],
            "target_audience": ["border_guards", "customs", "police"],
            "level": "intermediate",
            "languages": ["tg", "ru", "fa"],
            "duration_hours": 40,
            "delivery_modes": ["residential"],
            "learning_outcomes": [
                "Plan patrols and observation posts on a river border.",
                "Search boats, vehicles and persons for drugs safely.",
                "Share information with counterparts across the border.",
            ],
            "modules": [
                {
                    "title": "The green border",
                    "summary": "Patrols, observation and crossings.",
                    "lessons": [
                        {
                            "title": "Patrols and observation posts",
                            "minutes": 60,
                            "summary": "Watching a long river border with few officers.",
                            "body": [
                                "The border with Afghanistan runs for more than 1,300 "
                                "kilometres, much of it along the Panj river through "
                                "mountains. Traffickers cross at night at shallow points, by "
                                "boat or on inflated tyres.",
                                "Observation posts on high ground, irregular patrol times and "
                                "information from border villages make crossings riskier for "
                                "traffickers.",
                                {
                                    "points": [
                                        "Vary patrol routes and times.",
                                        "Record every sign of crossing: footprints, boats, "
                                        "rubbish.",
                                        "Report to the analysis unit after every shift.",
                                    ],
                                },
                            ],
                        },
                    ],
                },
                {
                    "title": "Joint operations",
                    "summary": "Working with counterparts across the river.",
                    "lessons": [
                        {
                            "title": "Border liaison and information exchange",
                            "minutes": 45,
                            "summary": "Border liaison offices and agreed procedures.",
                            "body": [
                                "Border liaison offices on both sides exchange information on "
                                "suspected crossings, seizures and wanted persons, through "
                                "agreed channels and forms. Regular meetings build the trust "
                                "that makes quick exchanges possible.",
                                {
                                    "style": "note",
                                    "points": [
                                        "Agree in advance on contact points and languages.",
                                        "Exchange only what the agreement permits.",
                                    ],
                                },
                            ],
                        },
                    ],
                },
            ],
        },
    ],
}

GENDER_AND_POLICING = {
    "institution": "police-academy-georgia",
    "title": "Gender and policing",
    "summary": (
        "The police response to domestic and gender-based violence, and gender mainstreaming "
        "in police organisations."
    ),
    "courses": [
        {
            "title": "Responding to domestic and gender-based violence",
            "summary": (
                "First response, risk assessment, protection orders and referral for patrol "
                "officers and detectives dealing with domestic and gender-based violence."
            ),
            "thematic_areas": ["gender-based-violence", "victims-hate-crime"],
            "target_audience": ["police", "investigators"],
            "level": "introductory",
            "languages": ["ka", "en"],
            "duration_hours": 16,
            "delivery_modes": ["blended"],
            "learning_outcomes": [
                "Secure the victim's safety and the evidence at a domestic violence call.",
                "Carry out a structured risk assessment.",
                "Issue or apply for protection orders and refer victims to support services.",
            ],
            "body": [
                "Domestic violence calls are among the most frequent and most dangerous that "
                "patrol officers attend. A good first response protects the victim and makes a "
                "prosecution possible even when the victim later withdraws.",
            ],
            "modules": [
                {
                    "title": "Understanding gender-based violence",
                    "summary": "Forms, dynamics and the legal framework.",
                    "lessons": [
                        {
                            "title": "Forms and dynamics of violence",
                            "minutes": 30,
                            "summary": "Physical, sexual, psychological and economic violence.",
                            "body": [
                                "Gender-based violence is violence directed at a person "
                                "because of their gender, or that affects women "
                                "disproportionately. In the home it often follows a pattern of "
                                "control that escalates over time, which is why victims may "
                                "call many times before leaving.",
                                {
                                    "style": "legal",
                                    "points": [
                                        "Council of Europe Istanbul Convention (2011): duty to "
                                        "respond promptly, assess risk and protect.",
                                        "Emergency barring and protection orders under "
                                        "national law.",
                                    ],
                                },
                            ],
                        },
                    ],
                },
                {
                    "title": "The police response",
                    "summary": "From the call to the referral.",
                    "lessons": [
                        {
                            "title": "At the scene",
                            "minutes": 45,
                            "summary": "Safety, separation, evidence.",
                            "body": [
                                "Separate the parties and speak to the victim out of the "
                                "suspect's sight and hearing. Attend to injuries, note the "
                                "victim's words and demeanour, photograph injuries and damage, "
                                "and identify children and other witnesses.",
                                {
                                    "style": "warning",
                                    "points": [
                                        "Never use a child or the suspect as interpreter.",
                                        "Do not suggest reconciliation or mediation.",
                                    ],
                                },
                            ],
                        },
                        {
                            "title": "Risk assessment and protection",
                            "minutes": 45,
                            "summary": "Structured questions and what follows from them.",
                            "body": [
                                "A structured risk assessment asks about past violence, "
                                "threats to kill, strangulation, weapons, separation, "
                                "pregnancy and the victim's own fear. High risk calls for "
                                "immediate protection measures and a safety plan with "
                                "specialised services.",
                                "Refer every victim, whatever the risk level, and record the "
                                "referral in the case file.",
                            ],
                        },
                    ],
                },
            ],
        },
        {
            "title": "Gender mainstreaming in police organisations",
            "summary": (
                "Tools for managers to make police services more representative and their "
                "services responsive to the needs of women and men alike."
            ),
            "thematic_areas": ["gender-mainstreaming", "police-development-reform"],
            "target_audience": ["managers", "trainers"],
            "level": "intermediate",
            "languages": ["ka", "en"],
            "duration_hours": 12,
            "delivery_modes": ["online"],
            "learning_outcomes": [
                "Carry out a simple gender analysis of a police policy or service.",
                "Identify obstacles to the recruitment, retention and promotion of women.",
                "Use sex-disaggregated data in planning.",
            ],
            "modules": [
                {
                    "title": "Gender analysis",
                    "summary": "Asking who is affected and how.",
                    "lessons": [
                        {
                            "title": "Gender analysis of a police service",
                            "minutes": 40,
                            "summary": "Data, questions and findings.",
                            "body": [
                                "Gender analysis asks whether a policy or service affects "
                                "women and men differently, and why. Start from "
                                "sex-disaggregated data: who reports which crimes, who is "
                                "recruited, who leaves, who is promoted.",
                                {
                                    "points": [
                                        "Collect data by sex as a routine.",
                                        "Consult women officers and women's organisations.",
                                        "Turn findings into measurable actions.",
                                    ],
                                },
                            ],
                        },
                    ],
                },
                {
                    "title": "A representative police service",
                    "summary": "Recruitment, retention and workplace culture.",
                    "lessons": [
                        {
                            "title": "Recruiting and retaining women",
                            "minutes": 40,
                            "summary": "What works, from the network's experience.",
                            "body": [
                                "Outreach campaigns featuring women officers, fitness tests "
                                "that measure job-related ability, family-friendly shift "
                                "arrangements, mentoring and clear procedures against "
                                "harassment all help women join and stay.",
                                "Associations of women police officers give a voice to women "
                                "in the service and support their careers.",
                            ],
                        },
                    ],
                },
            ],
        },
    ],
}

POLICE_INTEGRITY = {
    "institution": "pec-yerevan",
    "title": "Police integrity and anti-corruption",
    "summary": (
        "Ethics for every officer, and specialised investigation of corruption offences for "
        "investigators and prosecutors."
    ),
    "courses": [
        {
            "title": "Police ethics and integrity",
            "summary": (
                "Codes of police ethics, conflicts of interest, gifts and reporting of "
                "misconduct, discussed through everyday dilemmas."
            ),
            "thematic_areas": ["anti-corruption", "human-rights", "police-development-reform"],
            "target_audience": ["police"],
            "level": "introductory",
            "languages": ["hy", "ru"],
            "duration_hours": 20,
            "delivery_modes": ["residential", "self_paced"],
            "learning_outcomes": [
                "Apply the principles of police codes of ethics to everyday situations.",
                "Recognise and declare conflicts of interest.",
                "Know how to report misconduct and how reporters are protected.",
            ],
            "modules": [
                {
                    "title": "Standards of conduct",
                    "summary": "International and national codes.",
                    "lessons": [
                        {
                            "title": "Codes of police ethics",
                            "minutes": 30,
                            "summary": "What the codes ask of every officer.",
                            "body": [
                                "International standards, such as the UN Code of Conduct for "
                                "Law Enforcement Officials (1979) and the European Code of "
                                "Police Ethics (2001), ask officers to serve the public, "
                                "respect human rights, use force only when necessary and "
                                "refuse any act of corruption.",
                                {
                                    "style": "legal",
                                    "points": [
                                        "UN Code of Conduct for Law Enforcement Officials, "
                                        "Article 7: no act of corruption.",
                                        "European Code of Police Ethics: integrity and "
                                        "accountability of police personnel.",
                                    ],
                                },
                            ],
                        },
                    ],
                },
                {
                    "title": "Integrity in practice",
                    "summary": "Dilemmas, conflicts of interest and reporting.",
                    "lessons": [
                        {
                            "title": "Everyday dilemmas",
                            "minutes": 45,
                            "summary": "The free coffee, the relative's fine, the colleague.",
                            "body": [
                                "Corruption rarely starts with a large bribe. It starts with "
                                "small favours that create obligations. Discuss each "
                                "dilemma with three questions: is it lawful, is it in line "
                                "with the code, and would I be comfortable if the public knew?",
                                {
                                    "points": [
                                        "Decline gifts that could influence, or seem to "
                                        "influence, your work.",
                                        "Declare a conflict of interest and step aside.",
                                        "Silence about a colleague's misconduct is misconduct too.",
                                    ],
                                },
                            ],
                        },
                        {
                            "title": "Reporting misconduct",
                            "minutes": 30,
                            "summary": "Channels and protection for reporters.",
                            "body": [
                                "Officers can report misconduct to their supervisor, to the "
                                "internal security unit or to an external oversight body. "
                                "Reporters acting in good faith are protected against "
                                "retaliation by law, and reports can be made confidentially.",
                            ],
                        },
                    ],
                },
            ],
        },
        {
            "title": "Investigating corruption offences",
            "summary": (
                "Investigation of bribery, embezzlement and abuse of office: sources, covert "
                "measures, financial profiling and work with prosecutors."
            ),
            "thematic_areas": ["anti-corruption", "financial-investigations"],
            "target_audience": ["investigators", "prosecutors"],
            "level": "advanced",
            "languages": ["hy", "en"],
            "duration_hours": 36,
            "delivery_modes": ["blended"],
            "prerequisites": "<p>Experience of at least one economic-crime investigation.</p>",
            "learning_outcomes": [
                "Identify the elements of the main corruption offences under the UN "
                "Convention against Corruption and national law.",
                "Plan an investigation that combines covert measures with financial analysis.",
                "Use asset declarations and financial profiles as evidence.",
            ],
            "modules": [
                {
                    "title": "Corruption offences",
                    "summary": "Elements and evidence.",
                    "lessons": [
                        {
                            "title": "The offences and what must be proved",
                            "minutes": 45,
                            "summary": "Bribery, embezzlement, trading in influence, abuse "
                            "of functions.",
                            "body": [
                                "Bribery has two sides: the person who offers or gives and the "
                                "official who requests or accepts. Both usually benefit and "
                                "neither reports, so investigations rely on covert measures, "
                                "documents and money flows rather than on complaints.",
                                {
                                    "style": "legal",
                                    "points": [
                                        "UN Convention against Corruption (2003), Articles 15 "
                                        "to 20: bribery, embezzlement, trading in influence, "
                                        "abuse of functions, illicit enrichment.",
                                    ],
                                },
                            ],
                        },
                    ],
                },
                {
                    "title": "Investigative methods",
                    "summary": "Covert measures and financial profiling.",
                    "lessons": [
                        {
                            "title": "Financial profiling of officials",
                            "minutes": 60,
                            "summary": "Comparing lifestyle with lawful income.",
                            "body": [
                                "A financial profile compares what an official owns and spends "
                                "with their declared lawful income. Asset declarations, land "
                                "and vehicle registers, bank records and company registers are "
                                "the main sources; unexplained differences point to where the "
                                "investigation should look.",
                                {
                                    "points": [
                                        "Start with open and administrative sources.",
                                        "Look at relatives and companies close to the official.",
                                        "Plan asset freezing from the first day.",
                                    ],
                                },
                            ],
                        },
                    ],
                },
            ],
        },
    ],
}

POLICE_DEVELOPMENT = {
    "institution": "pta-kyiv",
    "title": "Police professional development",
    "summary": (
        "Principles of democratic policing for every officer, and teaching skills for the "
        "officers who train them."
    ),
    "courses": [
        {
            "title": "Principles of democratic policing",
            "summary": (
                "A self-paced introduction to the objectives and principles of democratic "
                "policing: rule of law, human rights, accountability and service to the public."
            ),
            "thematic_areas": ["police-development-reform", "human-rights"],
            "target_audience": ["police"],
            "level": "introductory",
            "languages": ["uk", "en"],
            "duration_hours": 6,
            "delivery_modes": ["self_paced"],
            "learning_outcomes": [
                "State the objectives of democratic policing.",
                "Apply the principles of legality, necessity and proportionality to the use of "
                "police powers.",
            ],
            "modules": [
                {
                    "title": "Objectives and principles",
                    "summary": "What democratic police services are for.",
                    "lessons": [
                        {
                            "title": "The objectives of democratic policing",
                            "minutes": 25,
                            "summary": "Order, rights, crime prevention, help to the public.",
                            "body": [
                                "A democratic police service maintains public tranquillity "
                                "and law and order, protects the fundamental rights and "
                                "freedoms of the individual, prevents and combats crime, and "
                                "assists the public. It does so under the law and is "
                                "accountable for how it does so.",
                                {
                                    "points": [
                                        "The police serve the public, not a party or a government.",
                                        "Accountability: to the law, to the public, to "
                                        "oversight bodies.",
                                        "Trust is built by fair and respectful contact.",
                                    ],
                                },
                            ],
                        },
                    ],
                },
                {
                    "title": "Police powers",
                    "summary": "Legality, necessity and proportionality.",
                    "lessons": [
                        {
                            "title": "Using force and other powers",
                            "minutes": 30,
                            "summary": "Three tests before any intrusion.",
                            "body": [
                                "Before using force or any other power, an officer asks: is "
                                "there a legal basis (legality)? is it needed to achieve a "
                                "lawful aim (necessity)? is the intrusion in balance with "
                                "that aim (proportionality)?",
                                {
                                    "style": "legal",
                                    "points": [
                                        "UN Basic Principles on the Use of Force and Firearms "
                                        "by Law Enforcement Officials (1990).",
                                    ],
                                },
                            ],
                        },
                    ],
                },
            ],
        },
        {
            "title": "Modern teaching methods for police trainers",
            "summary": (
                "Training of trainers on adult learning, writing learning objectives, active "
                "methods such as scenarios and role play, and evaluation of training."
            ),
            "thematic_areas": ["police-training"],
            "target_audience": ["trainers"],
            "level": "intermediate",
            "languages": ["uk"],
            "duration_hours": 40,
            "delivery_modes": ["blended"],
            "is_training_of_trainers": True,
            "learning_outcomes": [
                "Write learning objectives that can be observed and assessed.",
                "Plan a session that uses active, scenario-based methods.",
                "Give constructive feedback and evaluate a course.",
            ],
            "modules": [
                {
                    "title": "How adults learn",
                    "summary": "Principles that shape every session.",
                    "lessons": [
                        {
                            "title": "Principles of adult learning",
                            "minutes": 30,
                            "summary": "Experience, relevance, participation.",
                            "body": [
                                "Police officers learn best when training builds on their "
                                "experience, addresses problems they meet at work, and lets "
                                "them practise rather than listen. A lecture may transfer "
                                "information; skills and attitudes need practice and "
                                "reflection.",
                                {
                                    "points": [
                                        "Start from what participants already know.",
                                        "Show why the topic matters on duty.",
                                        "Talk less, let them do more.",
                                    ],
                                },
                            ],
                        },
                    ],
                },
                {
                    "title": "Planning and delivering sessions",
                    "summary": "Objectives, methods and feedback.",
                    "lessons": [
                        {
                            "title": "Writing learning objectives",
                            "minutes": 40,
                            "summary": "Action verbs, conditions and standards.",
                            "body": [
                                "A good objective says what the participant will be able to "
                                "do, under which conditions and to what standard: 'Given a "
                                "domestic violence scenario, complete the risk assessment form "
                                "with no missing items.' Verbs like 'understand' cannot be "
                                "observed; 'identify', 'complete' and 'explain' can.",
                            ],
                        },
                        {
                            "title": "Scenario-based training",
                            "minutes": 60,
                            "summary": "Designing and running realistic scenarios.",
                            "body": [
                                "A scenario puts participants in a realistic situation where "
                                "they must apply what they learned. Write it from real cases, "
                                "brief role players carefully, and keep the debrief longer "
                                "than the scenario itself.",
                                {
                                    "title": "Debrief questions",
                                    "points": [
                                        "What happened?",
                                        "What went well, and why?",
                                        "What would you do differently?",
                                        "What will you take back to your duty?",
                                    ],
                                },
                            ],
                        },
                    ],
                },
                {
                    "title": "Evaluation",
                    "summary": "Did the training work?",
                    "lessons": [
                        {
                            "title": "Evaluating training",
                            "minutes": 30,
                            "summary": "Reaction, learning, behaviour and results.",
                            "body": [
                                "Evaluation looks at four levels: how participants reacted, "
                                "what they learned, whether they apply it at work, and "
                                "whether it made a difference to the service. The last two "
                                "need follow-up months after the course, with supervisors' "
                                "help.",
                            ],
                        },
                    ],
                },
            ],
        },
    ],
}

ONLINE_FRAUD = {
    "institution": "pta-kyiv",
    "title": "Cybercrime and digital evidence",
    "summary": "Courses on the cybercrime that most often reaches local police: online fraud.",
    "courses": [
        {
            "title": "Investigating online fraud",
            "summary": (
                "Phishing, investment scams, romance scams and business e-mail compromise: "
                "taking the report, preserving data and following the money in a cybercrime "
                "case."
            ),
            "thematic_areas": ["cybercrime", "financial-investigations"],
            "target_audience": ["investigators", "police"],
            "level": "intermediate",
            "languages": ["uk", "en"],
            "duration_hours": 12,
            "delivery_modes": ["online"],
            "learning_outcomes": [
                "Recognise the common types of online fraud and their modus operandi.",
                "Take a victim's report that preserves all digital traces.",
                "Request the recall of funds and the preservation of data without delay.",
            ],
            "modules": [
                {
                    "title": "Types of online fraud",
                    "summary": "How the scams work.",
                    "lessons": [
                        {
                            "title": "Common schemes",
                            "minutes": 30,
                            "summary": "Phishing, fake investments, romance scams, business "
                            "e-mail compromise.",
                            "body": [
                                "Phishing steals credentials through fake messages and "
                                "websites. Investment scams lure victims to fake trading "
                                "platforms. Romance scams build a relationship before asking "
                                "for money. Business e-mail compromise impersonates a "
                                "supplier or manager to redirect a payment.",
                                {
                                    "points": [
                                        "All rely on urgency and trust.",
                                        "The money moves fast, often into crypto-assets.",
                                        "Victims are often ashamed: take them seriously.",
                                    ],
                                },
                            ],
                        },
                    ],
                },
                {
                    "title": "The first 48 hours",
                    "summary": "What to do while the money can still be stopped.",
                    "lessons": [
                        {
                            "title": "Taking the report",
                            "minutes": 30,
                            "summary": "Timeline, messages, transactions.",
                            "body": [
                                "Build a timeline with the victim. Collect the messages in "
                                "their original form (e-mails with full headers, not only "
                                "screenshots), website addresses, phone numbers, account "
                                "numbers and transaction references.",
                            ],
                        },
                        {
                            "title": "Stopping the money and preserving data",
                            "minutes": 30,
                            "summary": "Banks, exchanges and service providers.",
                            "body": [
                                "Contact the victim's bank at once to request a recall and "
                                "alert the receiving bank or crypto-asset exchange. Send "
                                "preservation requests to e-mail, hosting and telephone "
                                "providers before logs are deleted.",
                                {
                                    "style": "warning",
                                    "points": [
                                        "Hours count: recall requests after a few days "
                                        "rarely succeed.",
                                        "Warn victims about 'recovery' scammers who contact "
                                        "them next.",
                                    ],
                                },
                            ],
                        },
                    ],
                },
            ],
        },
    ],
}

COMMUNITY_POLICING = {
    "institution": "police-academy-bishkek",
    "title": "Community policing",
    "summary": (
        "Police-public partnerships in practice: for neighbourhood inspectors, juvenile "
        "officers and the community members who work with them."
    ),
    "courses": [
        {
            "title": "Community policing in practice",
            "summary": (
                "Building trust with communities, running mobile police receptions and "
                "community safety working groups, and solving local problems with the SARA "
                "method."
            ),
            "thematic_areas": ["community-policing", "police-development-reform"],
            "target_audience": ["police", "civil_society"],
            "level": "introductory",
            "languages": ["ky", "ru"],
            "duration_hours": 24,
            "delivery_modes": ["residential"],
            "learning_outcomes": [
                "Explain the principles of community policing to residents and colleagues.",
                "Organise a mobile police reception or a community safety meeting.",
                "Solve a local problem with the SARA method.",
            ],
            "body": [
                "This course grew out of community-security work in southern Kyrgyzstan after "
                "2010, where mobile police receptions and community safety working groups "
                "helped rebuild trust between the police and multi-ethnic neighbourhoods.",
            ],
            "modules": [
                {
                    "title": "Principles of community policing",
                    "summary": "A partnership for safety.",
                    "lessons": [
                        {
                            "title": "Police-public partnerships",
                            "minutes": 30,
                            "summary": "Why the police cannot keep communities safe alone.",
                            "body": [
                                "Community policing is a philosophy and a strategy: police "
                                "and residents work together to identify and solve the "
                                "problems that make people feel unsafe. It relies on visible, "
                                "accessible officers who stay in the same neighbourhood long "
                                "enough to be known.",
                                {
                                    "points": [
                                        "Listen to what worries residents, not only to what "
                                        "the statistics say.",
                                        "Follow up every problem reported, even small ones.",
                                        "Include women, young people and minorities.",
                                    ],
                                },
                            ],
                        },
                        {
                            "title": "Mobile receptions and safety working groups",
                            "minutes": 30,
                            "summary": "Bringing the police to the community.",
                            "body": [
                                "A mobile police reception is a vehicle that visits villages "
                                "and districts on a published schedule, so that residents can "
                                "raise problems, file complaints and get advice without "
                                "travelling to a police station.",
                                "Community safety working groups bring police, local "
                                "authorities and civil society together at municipal level "
                                "to discuss the problems raised and agree who acts.",
                            ],
                        },
                    ],
                },
                {
                    "title": "Problem solving",
                    "summary": "The SARA method.",
                    "lessons": [
                        {
                            "title": "Scanning, analysis, response, assessment",
                            "minutes": 45,
                            "summary": "A four-step method for recurring problems.",
                            "body": [
                                "Scanning identifies a recurring problem; analysis asks why it "
                                "occurs, where and when; response chooses measures with "
                                "partners, not only enforcement; assessment checks whether "
                                "the problem was reduced.",
                                {
                                    "title": "Case study",
                                    "style": "note",
                                    "points": [
                                        "Repeated fights near a school at closing time.",
                                        "Analysis shows one bus stop and no supervision.",
                                        "Response: staggered closing, a teacher on duty, "
                                        "patrols at 15:00.",
                                        "Assessment: incidents fell over the following term.",
                                    ],
                                },
                            ],
                        },
                    ],
                },
            ],
        },
    ],
}

TRAFFICKING_IN_HUMAN_BEINGS = {
    "institution": "ptc-skopje",
    "title": "Combating trafficking in human beings",
    "summary": (
        "Identification of victims for all frontline officers, and victim-centred "
        "investigation of trafficking networks for specialised units."
    ),
    "courses": [
        {
            "title": "Identifying victims of trafficking",
            "summary": (
                "Indicators of trafficking for sexual and labour exploitation, first contact "
                "with presumed victims, and referral through the national referral mechanism."
            ),
            "thematic_areas": ["trafficking-human-beings", "victims-hate-crime"],
            "target_audience": ["police", "border_guards", "civil_society"],
            "level": "introductory",
            "languages": ["mk", "sq", "en"],
            "duration_hours": 10,
            "delivery_modes": ["self_paced", "online"],
            "learning_outcomes": [
                "Define trafficking in human beings by its act, means and purpose.",
                "Recognise indicators of trafficking in everyday police work.",
                "Refer presumed victims to assistance through the national referral mechanism.",
            ],
            "modules": [
                {
                    "title": "Definition and indicators",
                    "summary": "What trafficking is and how to spot it.",
                    "lessons": [
                        {
                            "title": "Act, means, purpose",
                            "minutes": 30,
                            "summary": "The international definition.",
                            "body": [
                                "Under the Palermo Protocol, trafficking has three elements: "
                                "an act (recruitment, transport, transfer, harbouring or "
                                "receipt of persons), a means (threat, force, deception, abuse "
                                "of a position of vulnerability...) and a purpose of "
                                "exploitation. For children, the means need not be proved.",
                                {
                                    "style": "legal",
                                    "points": [
                                        "UN Protocol to Prevent, Suppress and Punish "
                                        "Trafficking in Persons (2000), Article 3.",
                                        "The victim's consent is irrelevant where any of the "
                                        "means was used.",
                                    ],
                                },
                            ],
                        },
                        {
                            "title": "Indicators of trafficking",
                            "minutes": 30,
                            "summary": "Signs in the person and the situation.",
                            "body": [
                                {
                                    "title": "Common indicators",
                                    "points": [
                                        "Someone else holds the person's identity documents.",
                                        "A debt that can never be paid off.",
                                        "Restricted movement; living at the workplace.",
                                        "Signs of abuse, fear, or answers that seem rehearsed.",
                                        "Someone else speaks for the person.",
                                    ],
                                },
                                "No single indicator proves trafficking; several together "
                                "justify a closer look and a referral.",
                            ],
                        },
                    ],
                },
                {
                    "title": "First contact and referral",
                    "summary": "Safety first, then assistance.",
                    "lessons": [
                        {
                            "title": "Talking to a presumed victim",
                            "minutes": 30,
                            "summary": "Safety, interpreters and the non-punishment principle.",
                            "body": [
                                "Speak to the person alone, in a safe place, with a "
                                "professional interpreter rather than a companion. Explain who "
                                "you are and what help is available. Victims should not be "
                                "punished for offences they were compelled to commit, such as "
                                "irregular entry or using false documents.",
                                "Refer the person to the national referral mechanism, which "
                                "co-ordinates shelter, medical, legal and psychological "
                                "assistance.",
                            ],
                        },
                    ],
                },
            ],
        },
        {
            "title": "Investigating trafficking in human beings",
            "summary": (
                "Proactive, intelligence-led and financial investigation of trafficking "
                "networks that does not rest on the victim's testimony alone."
            ),
            "thematic_areas": [
                "trafficking-human-beings",
                "organized-crime",
                "financial-investigations",
            ],
            "target_audience": ["investigators", "prosecutors"],
            "level": "advanced",
            "languages": ["mk", "en"],
            "duration_hours": 40,
            "delivery_modes": ["residential"],
            "learning_outcomes": [
                "Plan a proactive trafficking investigation.",
                "Gather corroborating evidence from financial, digital and travel records.",
                "Co-operate across borders, including through joint investigation teams.",
            ],
            "modules": [
                {
                    "title": "Investigation strategies",
                    "summary": "Reactive, proactive and disruptive approaches.",
                    "lessons": [
                        {
                            "title": "Victim-centred, evidence-led",
                            "minutes": 45,
                            "summary": "Reducing the burden on the victim.",
                            "body": [
                                "Cases built only on the victim's statement collapse when the "
                                "victim is intimidated or leaves the country. A proactive "
                                "investigation gathers corroboration from surveillance, "
                                "communications, online advertisements, travel records and "
                                "money flows.",
                                {
                                    "points": [
                                        "Protect the victim before seeking testimony.",
                                        "Corroborate every element of the offence.",
                                        "Run a parallel financial investigation.",
                                    ],
                                },
                            ],
                        },
                    ],
                },
                {
                    "title": "Cross-border co-operation",
                    "summary": "Channels and joint teams.",
                    "lessons": [
                        {
                            "title": "Working with other countries",
                            "minutes": 45,
                            "summary": "Police channels, mutual legal assistance, joint "
                            "investigation teams.",
                            "body": [
                                "Trafficking networks recruit in one country and exploit in "
                                "another. Exchange intelligence early through police "
                                "channels, plan evidence gathering with prosecutors in each "
                                "country, and consider a joint investigation team when the "
                                "case is large and long.",
                            ],
                        },
                    ],
                },
            ],
        },
    ],
}

PUBLIC_ORDER = {
    "institution": "police-academy-moldova",
    "title": "Public order and human rights",
    "summary": "Policing that facilitates peaceful assemblies and keeps public order.",
    "courses": [
        {
            "title": "Policing public assemblies",
            "summary": (
                "Facilitating peaceful assemblies, dialogue with organisers, de-escalation and "
                "the lawful, proportionate use of force when violence occurs."
            ),
            "thematic_areas": ["human-rights", "police-development-reform"],
            "target_audience": ["police", "managers"],
            "level": "intermediate",
            "languages": ["ro", "ru"],
            "duration_hours": 16,
            "delivery_modes": ["residential"],
            "learning_outcomes": [
                "Explain the State's duty to facilitate peaceful assemblies.",
                "Plan the policing of an assembly with the organisers.",
                "Apply de-escalation and differentiate between peaceful and violent participants.",
            ],
            "modules": [
                {
                    "title": "Freedom of peaceful assembly",
                    "summary": "Rights and the duties they create for the police.",
                    "lessons": [
                        {
                            "title": "The duty to facilitate",
                            "minutes": 30,
                            "summary": "Presumption in favour of holding assemblies.",
                            "body": [
                                "Freedom of peaceful assembly is a fundamental right. The "
                                "police must facilitate peaceful assemblies, including "
                                "spontaneous ones and those whose message is unpopular, and "
                                "protect participants from those who would disrupt them.",
                                {
                                    "style": "legal",
                                    "points": [
                                        "European Convention on Human Rights, Article 11.",
                                        "OSCE/ODIHR and Venice Commission Guidelines on "
                                        "Freedom of Peaceful Assembly.",
                                    ],
                                },
                            ],
                        },
                    ],
                },
                {
                    "title": "Operations",
                    "summary": "Dialogue, de-escalation and use of force.",
                    "lessons": [
                        {
                            "title": "Dialogue and de-escalation",
                            "minutes": 45,
                            "summary": "Liaison officers and graded responses.",
                            "body": [
                                "Liaison officers who talk with organisers before and during "
                                "the event prevent many confrontations. When tension rises, "
                                "communicate first, create space and time, and act against "
                                "the individuals who are violent rather than the whole crowd.",
                                {
                                    "points": [
                                        "Officers visibly identifiable by name or number.",
                                        "Journalists and monitors are allowed to work.",
                                        "Force only as a last resort, and proportionate.",
                                        "Debrief after every major event.",
                                    ],
                                },
                            ],
                        },
                    ],
                },
            ],
        },
    ],
}

STRATEGIC_FRAMEWORK = {
    "institution": "osce-spmu",
    "title": "Strategic Framework priorities",
    "summary": (
        "Courses developed by the Strategic Police Matters Unit from the OSCE policing "
        "guidebooks, for adaptation by the academies of the network."
    ),
    "courses": [
        {
            "title": "Preventing terrorism and violent extremism: a community-policing approach",
            "summary": (
                "How community policing helps prevent radicalisation that leads to terrorism: "
                "partnerships, early signs, referral, and the risks of stigmatising "
                "communities."
            ),
            "thematic_areas": ["terrorism", "community-policing", "human-rights"],
            "target_audience": ["police", "managers", "civil_society"],
            "level": "intermediate",
            "languages": ["en", "ru"],
            "duration_hours": 14,
            "delivery_modes": ["online", "self_paced"],
            "learning_outcomes": [
                "Describe radicalisation that leads to terrorism as a process with no single "
                "profile.",
                "Build partnerships with communities, schools and social services for prevention.",
                "Avoid practices that stigmatise communities and undermine trust.",
            ],
            "modules": [
                {
                    "title": "Understanding radicalisation",
                    "summary": "Processes, not profiles.",
                    "lessons": [
                        {
                            "title": "Radicalisation that leads to terrorism",
                            "minutes": 40,
                            "summary": "What research tells the police.",
                            "body": [
                                "There is no single profile of a person who becomes a "
                                "terrorist and no fixed path. Grievances, identity, social "
                                "networks and ideology combine differently in each case. "
                                "Holding radical views is not a crime; the police focus is on "
                                "violence and the incitement or preparation of violence.",
                                {
                                    "points": [
                                        "Focus on behaviour, not beliefs.",
                                        "Many people who hold extreme views never turn to "
                                        "violence.",
                                        "Communities are partners, not suspects.",
                                    ],
                                },
                            ],
                        },
                    ],
                },
                {
                    "title": "The community-policing contribution",
                    "summary": "Partnerships and referral.",
                    "lessons": [
                        {
                            "title": "Prevention partnerships",
                            "minutes": 40,
                            "summary": "Families, schools, religious leaders, social services.",
                            "body": [
                                "Families and friends are often the first to notice that "
                                "someone is changing. They will come to the police only if "
                                "they trust that the response will be fair. Prevention "
                                "partnerships agree in advance how concerns are shared and "
                                "which agency responds, with social and psychological support "
                                "as often as enforcement.",
                                {
                                    "style": "warning",
                                    "points": [
                                        "Do not use community contacts as covert informants "
                                        "without telling them.",
                                        "Explain how personal data will be handled.",
                                    ],
                                },
                            ],
                        },
                    ],
                },
            ],
        },
    ],
}

FINANCIAL_INVESTIGATIONS = {
    "institution": "unodc",
    "title": "Financial investigations and asset recovery",
    "summary": (
        "Following the money in organized crime cases: from financial intelligence to the "
        "confiscation of criminal assets."
    ),
    "courses": [
        {
            "title": "Financial investigation and asset recovery",
            "summary": (
                "Parallel financial investigations, sources of financial information, "
                "money-laundering typologies, and the freezing, seizure and confiscation of "
                "the proceeds of crime."
            ),
            "thematic_areas": ["financial-investigations", "organized-crime", "anti-corruption"],
            "target_audience": ["investigators", "prosecutors", "analysts"],
            "level": "advanced",
            "languages": ["en", "ru"],
            "duration_hours": 35,
            "delivery_modes": ["blended"],
            "learning_outcomes": [
                "Open a financial investigation in parallel with the predicate offence.",
                "Obtain and analyse financial information from public and private sources.",
                "Trace assets and secure them for confiscation.",
            ],
            "modules": [
                {
                    "title": "Financial investigation",
                    "summary": "Sources and analysis.",
                    "lessons": [
                        {
                            "title": "Parallel financial investigations",
                            "minutes": 40,
                            "summary": "Why every profit-driven crime needs one.",
                            "body": [
                                "A parallel financial investigation runs alongside the "
                                "investigation of the offence itself. It identifies the "
                                "network's structure through its money, finds assets to "
                                "confiscate, and often provides the strongest evidence "
                                "against organisers who never touch the drugs or victims.",
                                {
                                    "style": "legal",
                                    "points": [
                                        "FATF Recommendation 30: parallel financial "
                                        "investigations by law enforcement.",
                                        "FATF Recommendation 4: confiscation and provisional "
                                        "measures.",
                                    ],
                                },
                            ],
                        },
                        {
                            "title": "Sources of financial information",
                            "minutes": 45,
                            "summary": "Registers, banks and the financial intelligence unit.",
                            "body": [
                                "Start with open and administrative sources: company, land "
                                "and vehicle registers, tax records. Bank records usually "
                                "need a court order. The financial intelligence unit holds "
                                "suspicious transaction reports and can ask counterparts "
                                "abroad through the Egmont Group.",
                            ],
                        },
                    ],
                },
                {
                    "title": "Asset recovery",
                    "summary": "From tracing to confiscation.",
                    "lessons": [
                        {
                            "title": "Freezing, seizure and confiscation",
                            "minutes": 45,
                            "summary": "Securing assets before they disappear.",
                            "body": [
                                "Assets move quickly once suspects know they are under "
                                "investigation. Freeze or seize them at the same time as the "
                                "arrests, and plan who will manage them: vehicles lose value, "
                                "businesses need running, crypto-assets need secure wallets.",
                                {
                                    "points": [
                                        "Trace before you arrest.",
                                        "Secure assets abroad through mutual legal assistance.",
                                        "Consider non-conviction-based confiscation where the "
                                        "law allows it.",
                                    ],
                                },
                            ],
                        },
                    ],
                },
            ],
        },
    ],
}

CYBERCRIME_DIGITAL_INVESTIGATIONS = {
    "institution": "cepol",
    "title": "Cybercrime and digital investigations",
    "summary": "Online courses for specialists on emerging cybercrime topics.",
    "courses": [
        {
            "title": "Cryptocurrency investigations",
            "summary": (
                "Tracing crypto-asset transactions on the blockchain, obtaining information "
                "from exchanges, and seizing crypto-assets in cybercrime and money-laundering "
                "cases."
            ),
            "thematic_areas": ["cybercrime", "financial-investigations"],
            "target_audience": ["investigators", "analysts", "forensic"],
            "level": "specialist",
            "languages": ["en"],
            "duration_hours": 24,
            "delivery_modes": ["online"],
            "prerequisites": (
                "<p>Basic knowledge of financial investigations and of digital evidence.</p>"
            ),
            "learning_outcomes": [
                "Explain how blockchain transactions work and what they reveal.",
                "Trace funds across addresses and identify the exchanges involved.",
                "Seize crypto-assets securely and document the seizure.",
            ],
            "modules": [
                {
                    "title": "Blockchain basics",
                    "summary": "Addresses, transactions and wallets.",
                    "lessons": [
                        {
                            "title": "How a transaction works",
                            "minutes": 45,
                            "summary": "Public ledgers, addresses and keys.",
                            "body": [
                                "Most blockchains are public ledgers: anyone can see every "
                                "transaction between addresses. What is hidden is who "
                                "controls an address. Control comes from the private key, "
                                "usually derived from a seed phrase of 12 or 24 words.",
                                {
                                    "points": [
                                        "Transactions are public; identities are not.",
                                        "Whoever has the seed phrase controls the funds.",
                                        "A seed phrase written on paper is evidence: seize it.",
                                    ],
                                },
                            ],
                        },
                    ],
                },
                {
                    "title": "Tracing and seizure",
                    "summary": "From addresses to people, and securing the assets.",
                    "lessons": [
                        {
                            "title": "Tracing to an exchange",
                            "minutes": 60,
                            "summary": "Clustering, services and requests for information.",
                            "body": [
                                "Tracing follows funds from address to address until they "
                                "reach a service, typically an exchange that knows its "
                                "customers. A request to the exchange can then identify the "
                                "account holder. Mixers and cross-chain swaps make tracing "
                                "harder but not always impossible.",
                            ],
                        },
                        {
                            "title": "Seizing crypto-assets",
                            "minutes": 45,
                            "summary": "Transfer to a wallet controlled by the authorities.",
                            "body": [
                                "Seizure means moving the funds to a wallet the authorities "
                                "control, under a documented procedure with two officers "
                                "present. Prepare the receiving wallet in advance and record "
                                "every transaction identifier.",
                                {
                                    "style": "warning",
                                    "points": [
                                        "Never enter a seized seed phrase on an internet-"
                                        "connected computer you do not control.",
                                        "Act quickly: accomplices may move the funds first.",
                                    ],
                                },
                            ],
                        },
                    ],
                },
            ],
        },
    ],
}

INTERNATIONAL_COOPERATION = {
    "institution": "interpol",
    "title": "International police co-operation",
    "summary": "Self-paced courses on the tools of international police co-operation.",
    "courses": [
        {
            "title": "Using INTERPOL notices and databases",
            "summary": (
                "The colour-coded notices, the main databases and the secure network that "
                "frontline officers and investigators can query through their National "
                "Central Bureau."
            ),
            "thematic_areas": ["organized-crime", "terrorism", "border-management"],
            "target_audience": ["police", "border_guards", "investigators"],
            "level": "introductory",
            "languages": ["en", "ru"],
            "duration_hours": 4,
            "delivery_modes": ["self_paced"],
            "learning_outcomes": [
                "Explain what each type of notice asks of member countries.",
                "Know which databases to query for persons, documents and vehicles.",
            ],
            "modules": [
                {
                    "title": "Notices and databases",
                    "summary": "The tools, and how to reach them.",
                    "lessons": [
                        {
                            "title": "Notices",
                            "minutes": 25,
                            "summary": "Red, yellow, blue, black, green, orange, purple.",
                            "body": [
                                "Notices are international requests for co-operation or "
                                "alerts, published at the request of a National Central "
                                "Bureau. A Red Notice asks to locate and provisionally arrest "
                                "a person pending extradition; it is not an international "
                                "arrest warrant.",
                                {
                                    "title": "Notice colours",
                                    "points": [
                                        "Red: wanted for prosecution or to serve a sentence.",
                                        "Yellow: missing person. Black: unidentified body.",
                                        "Blue: more information about a person's identity or "
                                        "activities.",
                                        "Green: warning about a person's criminal activities.",
                                        "Orange: imminent threat. Purple: modus operandi.",
                                    ],
                                },
                            ],
                        },
                        {
                            "title": "Databases and the secure network",
                            "minutes": 25,
                            "summary": "Stolen documents, vehicles, persons, fingerprints.",
                            "body": [
                                "Through the secure communication network, authorised "
                                "officers can check whether a passport is recorded as stolen "
                                "or lost, whether a vehicle is stolen, or whether a person is "
                                "the subject of a notice. Border crossing points often have "
                                "direct access; others go through the National Central "
                                "Bureau.",
                                {
                                    "style": "note",
                                    "points": [
                                        "A hit is a lead, not a decision: confirm with the "
                                        "National Central Bureau before acting.",
                                    ],
                                },
                            ],
                        },
                    ],
                },
                {
                    "title": "Rules and safeguards",
                    "summary": "Neutrality and data protection.",
                    "lessons": [
                        {
                            "title": "Neutrality and data quality",
                            "minutes": 20,
                            "summary": "What the organisation may not do, and why.",
                            "body": [
                                "The organisation's constitution forbids any intervention in "
                                "matters of a political, military, religious or racial "
                                "character. Requests are reviewed against this rule and the "
                                "rules on data processing, and persons may ask for their data "
                                "to be checked by an independent commission.",
                            ],
                        },
                    ],
                },
            ],
        },
    ],
}

CURRICULA: list[dict] = [
    CYBERCRIME_INVESTIGATION,
    FRONTLINE_POLICING,
    DRUG_LAW_ENFORCEMENT,
    PRECURSOR_CONTROL,
    CRIMINAL_INTELLIGENCE,
    BORDER_SECURITY,
    DRUG_INTERDICTION,
    GENDER_AND_POLICING,
    POLICE_INTEGRITY,
    POLICE_DEVELOPMENT,
    ONLINE_FRAUD,
    COMMUNITY_POLICING,
    TRAFFICKING_IN_HUMAN_BEINGS,
    PUBLIC_ORDER,
    STRATEGIC_FRAMEWORK,
    FINANCIAL_INVESTIGATIONS,
    CYBERCRIME_DIGITAL_INVESTIGATIONS,
    INTERNATIONAL_COOPERATION,
]


# ---------------------------------------------------------------------------------------------
# Demo logins: one per role. Re-running the command puts these passwords back.
# ---------------------------------------------------------------------------------------------

SUPERUSER = "superuser"  # not a Membership role: a Django superuser

# The authenticator-app secret of every demo staff login (base32). Add it to an authenticator
# app, or print the current code with `oathtool --totp -b <secret>`.
DEMO_TOTP_SECRET = "PANDEMOSTAFFTOTPSECRETKEY2345672"  # noqa: S105 (a documented demo secret)

# role: a Membership.Role value, SUPERUSER, or None for a trainee without a staff role.
DEMO_USERS: list[dict] = [
    {
        "email": "admin@example.org",
        "password": "pan-demo-admin",
        "first_name": "Platform",
        "last_name": "Administrator",
        "role": SUPERUSER,
    },
    {
        "email": "editor.serbia@example.org",
        "password": "pan-demo-editor",
        "first_name": "Jelena",
        "last_name": "Marković",
        "role": "editor",
        "institution": "osce-mission-to-serbia",
    },
    {
        "email": "editor.georgia@example.org",
        "password": "pan-demo-editor",
        "first_name": "Nino",
        "last_name": "Kapanadze",
        "role": "editor",
        "institution": "police-academy-georgia",
    },
    {
        "email": "moderator@example.org",
        "password": "pan-demo-moderator",
        "first_name": "Anna",
        "last_name": "Lindqvist",
        "role": "moderator",
    },
    {
        "email": "coordinator@example.org",
        "password": "pan-demo-coordinator",
        "first_name": "Elif",
        "last_name": "Demirci",
        "role": "coordinator",
        "institution": "iadoc-ankara",
    },
    {
        "email": "trainer@example.org",
        "password": "pan-demo-trainer",
        "first_name": "Marko",
        "last_name": "Stanković",
        "role": "trainer",
        "institution": "ptc-belgrade",
    },
    {
        "email": "focalpoint@example.org",
        "password": "pan-demo-focal-point",
        "first_name": "Aigerim",
        "last_name": "Seitkali",
        "role": "focal_point",
        "country": "KZ",
    },
    {
        "email": "organiser@example.org",
        "password": "pan-demo-organiser",
        "first_name": "Claire",
        "last_name": "Fournier",
        "role": "organiser",
    },
    {
        "email": "trainee@example.org",
        "password": "pan-demo-trainee",
        "first_name": "Daniyar",
        "last_name": "Omarov",
        "role": None,
    },
]

# Names of the countries that scope a demo role, for the logins table.
_SCOPE_COUNTRIES = {"KZ": "Kazakhstan"}


def demo_logins_markdown() -> str:
    """The demo logins as a Markdown table (e-mail, password, role, scope), padded so that it
    also reads well in a terminal. The README's table is generated from this."""
    from network.models import Membership

    institutions = {i["slug"]: i["name"] for i in INSTITUTIONS}
    rows = [("E-mail", "Password", "Role", "Scope")]
    for user in DEMO_USERS:
        role = user["role"]
        if role == SUPERUSER:
            label, scope = "Administrator (superuser)", "whole platform"
        elif role is None:
            label, scope = "Trainee (no staff role)", "own learning"
        else:
            label = str(Membership.Role(role).label)
            if user.get("institution"):
                scope = institutions[user["institution"]]
            elif user.get("country"):
                scope = _SCOPE_COUNTRIES[user["country"]]
            else:
                scope = "whole network"
        rows.append((user["email"], user["password"], label, scope))

    widths = [max(len(row[i]) for row in rows) for i in range(4)]

    def line(cells) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    separator = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(rows[0]), separator, *(line(row) for row in rows[1:])])


# Trainee profiles of the demo people who enrol (names as on certificates, native and Latin).
DEMO_PROFILES: dict[str, dict] = {
    "trainee@example.org": {
        "given_name": "Данияр",
        "family_name": "Омаров",
        "given_name_latin": "Daniyar",
        "family_name_latin": "Omarov",
        "gender": "man",
        "country_code": "KZ",
        "institution_other": "Criminal Police Department, Almaty",
        "rank_or_position": "Senior Lieutenant",
        "preferred_language": "ru",
    },
    "trainer@example.org": {
        "given_name": "Марко",
        "family_name": "Станковић",
        "given_name_latin": "Marko",
        "family_name_latin": "Stanković",
        "gender": "man",
        "country_code": "RS",
        "institution_other": "Police Training Centre, Belgrade",
        "rank_or_position": "Police trainer",
        "preferred_language": "en",
    },
}

# Other officers already enrolled in the demo runs (password "pan-demo-officer").
DEMO_OFFICERS: list[dict] = [
    {"email": "officer.rs@example.org", "given_name": "Ивана", "family_name": "Петровић",
     "given_name_latin": "Ivana", "family_name_latin": "Petrović", "gender": "woman",
     "country_code": "RS"},
    {"email": "officer.ge@example.org", "given_name": "თამარ", "family_name": "ბერიძე",
     "given_name_latin": "Tamar", "family_name_latin": "Beridze", "gender": "woman",
     "country_code": "GE"},
    {"email": "officer.am@example.org", "given_name": "Արամ", "family_name": "Հակոբյան",
     "given_name_latin": "Aram", "family_name_latin": "Hakobyan", "gender": "man",
     "country_code": "AM"},
    {"email": "officer.kz@example.org", "given_name": "Айгуль", "family_name": "Нурланова",
     "given_name_latin": "Aigul", "family_name_latin": "Nurlanova", "gender": "woman",
     "country_code": "KZ"},
    {"email": "officer.gr@example.org", "given_name": "Ελένη", "family_name": "Παπαδοπούλου",
     "given_name_latin": "Eleni", "family_name_latin": "Papadopoulou", "gender": "woman",
     "country_code": "GR"},
    {"email": "officer.tr@example.org", "given_name": "Şükrü", "family_name": "Yıldırım Öztürk",
     "given_name_latin": "Sukru", "family_name_latin": "Yildirim Ozturk", "gender": "man",
     "country_code": "TR"},
    # Partners for Co-operation: a Dari name (with its zero-width non-joiner), printed right
    # to left, and a Korean name, family name first.
    {"email": "officer.af@example.org", "given_name": "فرشته", "family_name": "نوری\u200cزاده",
     "given_name_latin": "Fereshta", "family_name_latin": "Noorizada", "gender": "woman",
     "country_code": "AF"},
    {"email": "officer.kr@example.org", "given_name": "민준", "family_name": "김",
     "given_name_latin": "Minjun", "family_name_latin": "Kim", "gender": "man",
     "country_code": "KR", "name_order": "family_first"},
]  # fmt: skip
DEMO_OFFICER_PASSWORD = "pan-demo-officer"  # noqa: S105 (documented demo login)

# Course runs of the demo network. Dates are days from the day the demo data is loaded.
# "live_today": the first session is today, all day, so that QR check-in can be tried at once.
DEMO_RUNS: list[dict] = [
    {
        "title": "Digital evidence for first responders, Belgrade (today)",
        "course": "digital-evidence-for-first-responders",
        "organiser": "ptc-belgrade",
        "policy": "open",
        "capacity": 3,
        "start": 0,
        "days": 3,
        "live_today": True,
        "trainers": ["trainer@example.org"],
        "enrolled": ["officer.rs@example.org", "officer.ge@example.org", "officer.am@example.org"],
        "venue": "Police Training Centre, Belgrade",
        "time_zone": "Europe/Belgrade",
        "language": "sr",
    },
    {
        "title": "Counter-narcotics trainer course, Ankara",
        "course": "counter-narcotics-trainer-course",
        "organiser": "iadoc-ankara",
        "policy": "nomination",
        "capacity": 18,
        "start": 30,
        "days": 5,
        "quotas": {"KZ": 3, "TJ": 3, "KG": 3, "UZ": 3},
        "tot": True,
        "venue": "IADOC, Ankara",
        "time_zone": "Europe/Istanbul",
        "language": "en",
    },
    {
        "title": "Cybercrime investigation: regional training of trainers, Belgrade",
        "course": "cybercrime-investigation-tot",
        "organiser": "osce-mission-to-serbia",
        "policy": "approval",
        "capacity": 18,
        "start": 45,
        "days": 10,
        "tot": True,
        "enrolled": ["officer.kz@example.org"],
        "venue": "Police Academy, Belgrade",
        "time_zone": "Europe/Belgrade",
        "language": "en",
    },
    {
        "title": "Digital evidence for first responders, Belgrade (last month)",
        "course": "digital-evidence-for-first-responders",
        "organiser": "ptc-belgrade",
        "policy": "open",
        "capacity": 12,
        "start": -30,
        "days": 3,
        "trainers": ["trainer@example.org"],
        "enrolled": [
            "officer.rs@example.org",
            "officer.ge@example.org",
            "officer.am@example.org",
            "officer.gr@example.org",
            "officer.tr@example.org",
            "officer.af@example.org",
            "officer.kr@example.org",
        ],
        "register": ["present", "late", "absent"],
        # Participation certificates, issued automatically once the run had ended.
        "certificates": [{"kind": "participation", "min_attendance": 60}],
        "venue": "Police Training Centre, Belgrade",
        "time_zone": "Europe/Belgrade",
        "language": "sr",
    },
]

# Certificate templates of the demo institutions (English and Russian texts).
DEMO_CERTIFICATE_BODY = {
    "en": "Awarded to {name_with_latin} for the course “{course}”, delivered by "
    "{institution}, {dates}: {hours} hours of training.",
    "ru": "Выдан {name_with_latin} по курсу «{course}», проведённому {institution}, "
    "{dates}: {hours} ч. обучения.",
}
DEMO_CERTIFICATE_TITLES = {
    "en": ("Certificate of participation", "Certificate of completion", "Trainer certificate"),
    "ru": ("Сертификат участника", "Сертификат об окончании курса", "Сертификат тренера"),
}
DEMO_CERTIFICATE_TEMPLATES = [
    {"institution": "ptc-belgrade", "name": "PTC Belgrade certificate",
     "colours": ("#1F3A5F", "#B08D57"),
     "signatories": [("Milan Jovanović", "Head of the Police Training Centre")]},
    {"institution": "osce-mission-to-serbia", "name": "OSCE Mission training certificate",
     "colours": ("#004B87", "#7FA9D6"),
     "signatories": [("Helena Novak", "Head of the Security Co-operation Department"),
                     ("Marko Ilić", "Course director")]},
    # The network's own template (no institution): every institution may use it.
    {"institution": None, "name": "PAN network certificate",
     "colours": ("#2E4A62", "#8C6D46"),
     "signatories": [("Anna Weber", "Police Academies Network co-ordinator")]},
]  # fmt: skip

# Course runs of the demo network with no sessions: self-paced e-learning. The demo trainee is
# enrolled; completing the course's lessons earns a certificate with nobody pressing a button.
DEMO_SELF_PACED_RUN = {
    "title": "Digital evidence for first responders, self-paced e-learning",
    "course": "digital-evidence-for-first-responders",
    "organiser": "ptc-belgrade",
    "enrolled": ["trainee@example.org"],
    "language": "en",
    "certificates": [{"kind": "completion", "min_attendance": 0, "lessons_required": True}],
}

# A quiz added to the second lesson of "Digital evidence for first responders".
DEMO_QUIZ = {
    "title": "Check your understanding",
    "questions": [
        {
            "kind": "single",
            "prompt": "You find a laptop switched on at a scene. What do you do first?",
            "answers": [
                {"text": "Photograph the screen and note what is running", "correct": True,
                 "feedback": "Yes: record the live state before anything changes."},
                {"text": "Switch it off to protect the data", "correct": False,
                 "feedback": "Switching off loses what is in memory and may lock encrypted disks."},
                {"text": "Search it for evidence on the spot", "correct": False,
                 "feedback": "Searching alters the device; leave it to the examiner."},
            ],
        },
        {
            "kind": "true_false",
            "prompt": "A seized phone should be kept connected to the mobile network.",
            "answers": [
                {"text": "True", "correct": False,
                 "feedback": "Connected, it can be wiped or changed remotely."},
                {"text": "False", "correct": True,
                 "feedback": "Right: isolate it (flight mode or a shielded bag)."},
            ],
        },
        {
            "kind": "multiple",
            "prompt": "Which belong in the seizure record? (Choose all that apply.)",
            "answers": [
                {"text": "Time and place of seizure", "correct": True, "feedback": ""},
                {"text": "Who handled the device, and when", "correct": True, "feedback": ""},
                {"text": "Your guess at the password", "correct": False,
                 "feedback": "Record facts only."},
            ],
        },
    ],
}  # fmt: skip

# A three-generation cascade from a cybercrime training of trainers held last year: its six
# certified trainers (six countries) run national ToTs in their languages, whose certified
# trainers run courses in turn. People are generated from the name pools below.
CASCADE_NAMES: dict[str, dict] = {
    # country: women's given names, men's given names, family names (man, woman) — each as
    # (native, Latin)
    "RS": {"women": [("Јелена", "Jelena"), ("Милица", "Milica"), ("Ана", "Ana")],
           "men": [("Марко", "Marko"), ("Никола", "Nikola"), ("Стефан", "Stefan")],
           "family": [(("Јовановић", "Jovanović"),) * 2, (("Николић", "Nikolić"),) * 2,
                      (("Стојановић", "Stojanović"),) * 2]},
    "GE": {"women": [("ნინო", "Nino"), ("მარიამ", "Mariam"), ("ეკა", "Eka")],
           "men": [("გიორგი", "Giorgi"), ("ლევან", "Levan"), ("დავით", "Davit")],
           "family": [(("კაპანაძე", "Kapanadze"),) * 2, (("გელაშვილი", "Gelashvili"),) * 2,
                      (("ლომიძე", "Lomidze"),) * 2]},
    "AM": {"women": [("Անի", "Ani"), ("Լիլիթ", "Lilit"), ("Մարիամ", "Mariam")],
           "men": [("Դավիթ", "Davit"), ("Տիգրան", "Tigran"), ("Արմեն", "Armen")],
           "family": [(("Սարգսյան", "Sargsyan"),) * 2, (("Պետրոսյան", "Petrosyan"),) * 2,
                      (("Գրիգորյան", "Grigoryan"),) * 2]},
    "KZ": {"women": [("Динара", "Dinara"), ("Әсел", "Asel"), ("Жанар", "Zhanar")],
           "men": [("Ерлан", "Yerlan"), ("Нұрлан", "Nurlan"), ("Асхат", "Askhat")],
           "family": [(("Сейтов", "Seitov"), ("Сейтова", "Seitova")),
                      (("Ахметов", "Akhmetov"), ("Ахметова", "Akhmetova")),
                      (("Жумабаев", "Zhumabayev"), ("Жумабаева", "Zhumabayeva"))]},
    "MD": {"women": [("Elena", "Elena"), ("Mariana", "Mariana"), ("Ana", "Ana")],
           "men": [("Ion", "Ion"), ("Andrei", "Andrei"), ("Vasile", "Vasile")],
           "family": [(("Rusu", "Rusu"),) * 2, (("Ceban", "Ceban"),) * 2,
                      (("Țurcanu", "Turcanu"),) * 2]},
    "MK": {"women": [("Марија", "Marija"), ("Елена", "Elena"), ("Ивана", "Ivana")],
           "men": [("Александар", "Aleksandar"), ("Горан", "Goran"), ("Дејан", "Dejan")],
           "family": [(("Петровски", "Petrovski"), ("Петровска", "Petrovska")),
                      (("Трајковски", "Trajkovski"), ("Трајковска", "Trajkovska")),
                      (("Стојановски", "Stojanovski"), ("Стојановска", "Stojanovska"))]},
}  # fmt: skip

DEMO_CASCADE: list[dict] = [
    # key, parent ("" for the root), where, when (days from today), participants
    # ("country:count"), trainers certified ("certify": how many of them get a trainer
    # certificate, which makes the run a training of trainers).
    {"key": "tot", "title": "Cybercrime investigation: regional training of trainers, Belgrade "
     "(last year)", "organiser": "osce-mission-to-serbia", "country": "RS", "language": "en",
     "start": -420, "days": 3, "trainers": ["trainer@example.org"],
     "participants": ["RS:1", "GE:1", "AM:1", "KZ:1", "MD:1", "MK:1"], "certify": 6},
    {"key": "ge", "parent": "tot:GE", "title": "Cybercrime investigation: national ToT, Tbilisi",
     "organiser": "police-academy-georgia", "country": "GE", "language": "ka", "start": -320,
     "days": 2, "participants": ["GE:8"], "certify": 2},
    {"key": "am", "parent": "tot:AM", "title": "Cybercrime investigation: national ToT, Yerevan",
     "organiser": "pec-yerevan", "country": "AM", "language": "hy", "start": -310, "days": 2,
     "participants": ["AM:7"], "certify": 1},
    {"key": "kz", "parent": "tot:KZ", "title": "Cybercrime investigation: national ToT, Almaty",
     "organiser": "leta-kazakhstan", "country": "KZ", "language": "ru", "start": -300,
     "days": 2, "participants": ["KZ:9"], "certify": 2},
    {"key": "md", "parent": "tot:MD", "title": "Cybercrime investigation: national ToT, Chișinău",
     "organiser": "police-academy-moldova", "country": "MD", "language": "ro", "start": -290,
     "days": 2, "participants": ["MD:6"], "certify": 1},
    {"key": "mk", "parent": "tot:MK", "title": "Cybercrime investigation: national ToT, Skopje",
     "organiser": "ptc-skopje", "country": "MK", "language": "mk", "start": -280, "days": 2,
     "participants": ["MK:6"], "certify": 0},
    {"key": "ge-2", "parent": "ge:GE", "title": "Cybercrime investigation, Kutaisi",
     "organiser": "police-academy-georgia", "country": "GE", "language": "ka", "start": -180,
     "days": 2, "participants": ["GE:10"], "certify": 0},
    {"key": "kz-2", "parent": "kz:KZ", "title": "Cybercrime investigation: regional ToT, Astana",
     "organiser": "leta-kazakhstan", "country": "KZ", "language": "kk", "start": -170,
     "days": 2, "participants": ["KZ:8"], "certify": 1},
    {"key": "md-2", "parent": "md:MD", "title": "Cybercrime investigation, Bălți",
     "organiser": "police-academy-moldova", "country": "MD", "language": "ro", "start": -150,
     "days": 2, "participants": ["MD:8"], "certify": 0},
    {"key": "kz-3", "parent": "kz-2:KZ", "title": "Cybercrime investigation, Karaganda",
     "organiser": "leta-kazakhstan", "country": "KZ", "language": "kk", "start": -60,
     "days": 2, "participants": ["KZ:9"], "certify": 0},
]  # fmt: skip
CASCADE_COURSE = "cybercrime-investigation-tot"

# Course pages an editor has translated into Russian (Wagtail's localisation): the course page
# and its modules; lessons not listed stay in the language they were written in.
DEMO_TRANSLATIONS: dict[str, dict[str, dict]] = {
    "ru": {
        "cybercrime-investigation-tot": {
            "title": "Расследование киберпреступлений: региональная подготовка тренеров",
            "summary": (
                "Три недели очного обучения следователей полиции: компьютеры и операционные "
                "системы, компьютерные преступления, компьютерная криминалистика и ресурсы для "
                "расследования. Выпускники получают право преподавать курс в своей стране."
            ),
            "learning_outcomes": [
                "Объяснять, как компьютеры, носители и операционные системы создают и хранят "
                "данные, которые могут стать доказательствами.",
                "Распознавать основные формы киберпреступности и составы преступлений по "
                "Будапештской конвенции и национальному праву.",
                "Изымать, копировать и исследовать цифровые доказательства с соблюдением "
                "криминалистических требований.",
                "Использовать каналы международного сотрудничества для сохранения и получения "
                "данных, хранящихся за рубежом.",
                "Проводить курс для коллег по пакету материалов для тренера.",
            ],
            "modules": {
                "computers-and-operating-systems": (
                    "Компьютеры и операционные системы",
                    "Как компьютеры хранят, упорядочивают и записывают данные.",
                ),
                "computer-crime": (
                    "Компьютерные преступления",
                    "Формы киберпреступности и правовая база.",
                ),
                "computer-forensics-and-investigative-resources": (
                    "Компьютерная криминалистика и ресурсы для расследования",
                    "Правильное обращение с цифровыми доказательствами и куда обращаться за "
                    "помощью.",
                ),
                "training-delivery": (
                    "Проведение обучения",
                    "Подготовка к преподаванию курса в своей службе.",
                ),
            },
        },
        "counter-narcotics-trainer-course": {
            "title": "Курс подготовки тренеров по борьбе с наркотиками",
            "summary": (
                "Подготовка тренеров по досмотру транспортных средств, лиц и помещений и по "
                "контролю над прекурсорами для сотрудников, которые будут обучать оперативный "
                "состав антинаркотических подразделений своих стран."
            ),
            "learning_outcomes": [
                "Планировать и проводить систематический досмотр транспортных средств, лиц и "
                "помещений.",
                "Распознавать способы сокрытия и правильно применять средства обнаружения и "
                "экспресс-тесты.",
                "Определять основные прекурсоры и применимые к ним меры контроля.",
                "Проводить модули курса по досмотру и прекурсорам для оперативных сотрудников.",
            ],
            "modules": {
                "drug-markets-and-trafficking-routes": (
                    "Рынки наркотиков и маршруты наркотрафика",
                    "Что перевозят, где и как прячут.",
                ),
                "searches-of-vehicles-persons-and-premises": (
                    "Досмотр транспортных средств, лиц и помещений",
                    "Систематический, законный и безопасный досмотр.",
                ),
                "precursor-control": (
                    "Контроль над прекурсорами",
                    "Химические вещества, из которых производят наркотики, и пути их утечки.",
                ),
                "teaching-the-course": (
                    "Преподавание курса",
                    "Практическое обучение досмотру и оценка слушателей.",
                ),
            },
        },
        "chemical-precursors-identification-and-control": {
            "title": "Химические прекурсоры: выявление и контроль",
            "summary": (
                "Распознавание химических веществ, используемых для производства героина и "
                "синтетических наркотиков, проверка грузов и лицензий, выявление утечки из "
                "законного оборота."
            ),
            "learning_outcomes": [
                "Определять основные прекурсоры по документам, маркировке и упаковке.",
                "Сверять груз с лицензией и предварительным уведомлением об экспорте.",
                "Безопасно обращаться с химическими веществами и отбирать пробы.",
            ],
            "modules": {
                "precursors-and-their-uses": (
                    "Прекурсоры и их применение",
                    "Какие химические вещества контролируются и почему.",
                ),
                "checks-and-safe-handling": (
                    "Проверки и безопасное обращение",
                    "Документы, досмотр и отбор проб.",
                ),
            },
        },
        "community-policing-in-practice": {
            "title": "Работа полиции с населением на практике",
            "summary": (
                "Укрепление доверия населения, мобильные приёмные полиции и рабочие группы по "
                "общественной безопасности, решение местных проблем методом SARA."
            ),
            "learning_outcomes": [
                "Объяснять жителям и коллегам принципы работы полиции с населением.",
                "Организовать мобильную приёмную полиции или встречу по вопросам безопасности.",
                "Решить местную проблему методом SARA.",
            ],
            "modules": {
                "principles-of-community-policing": (
                    "Принципы работы полиции с населением",
                    "Партнёрство ради безопасности.",
                ),
                "problem-solving": ("Решение проблем", "Метод SARA."),
            },
        },
    },
}

# A course an academy editor has written and submitted, with its new module and lesson, waiting
# for the network moderators (one submission: approving the course publishes all three).
DEMO_SUBMISSION: dict = {
    "editor": "editor.georgia@example.org",
    "institution": "police-academy-georgia",
    "curriculum": "gender-and-policing",
    "course": {
        "title": "Interviewing victims of gender-based violence",
        "slug": "interviewing-victims-of-gender-based-violence",
        "summary": (
            "Trauma-informed interviewing of victims of domestic and gender-based violence, "
            "from the first contact to the written statement."
        ),
        "thematic_areas": ["gender-based-violence"],
        "target_audience": ["police"],
        "level": "intermediate",
        "languages": ["ka", "en"],
        "duration_hours": 12,
        "delivery_modes": ["residential"],
    },
    "module": {"title": "Before the interview", "slug": "before-the-interview"},
    "lesson": {
        "title": "Choosing the setting and the interviewer",
        "slug": "choosing-the-setting-and-the-interviewer",
        "summary": "A quiet room, time enough, and the victim's choice of interviewer.",
        "minutes": 20,
    },
}
