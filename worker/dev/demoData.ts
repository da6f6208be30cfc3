/** Demo people for local development: realistic tutors across zones and subjects, and a few students. */
export const DEMO_PASSWORD = "tutorly-demo";

export type DemoTutor = {
  email: string;
  name: string;
  timezone: string;
  subjects: string[];
  hourlyRateCents: number;
  /** Offers a first trial lesson. */
  offersTrials?: boolean;
  bio: string;
  /** Weekly hours in the tutor's own zone: ISO weekdays (1 = Monday) with a local start and end. */
  weekly: { weekday: number; start: string; end: string }[];
};

const weekdays = (start: string, end: string, days = [1, 2, 3, 4, 5]) => days.map((weekday) => ({ weekday, start, end }));

export const DEMO_TUTORS: DemoTutor[] = [
  {
    email: "olivia@tutorly.dev",
    name: "Olivia Bennett",
    timezone: "America/New_York",
    subjects: ["mathematics", "sat prep"],
    hourlyRateCents: 4500,
    offersTrials: true,
    bio: "Former high-school math teacher in Brooklyn. I make algebra and SAT math feel like puzzles, not punishment.",
    weekly: weekdays("16:00", "20:00"),
  },
  {
    email: "lucas@tutorly.dev",
    name: "Lucas Oliveira",
    timezone: "America/Sao_Paulo",
    subjects: ["portuguese", "spanish"],
    hourlyRateCents: 2500,
    offersTrials: true,
    bio: "Native Portuguese speaker from São Paulo, fluent in Spanish. Conversation-first lessons with real-life topics.",
    weekly: weekdays("09:00", "13:00", [1, 2, 3, 4, 5, 6]),
  },
  {
    email: "amelia@tutorly.dev",
    name: "Amelia Clarke",
    timezone: "Europe/London",
    subjects: ["english", "ielts prep"],
    hourlyRateCents: 4000,
    bio: "Cambridge-certified English teacher. IELTS band 7+ strategies, essay feedback within the lesson.",
    weekly: weekdays("08:00", "12:00"),
  },
  {
    email: "jonas@tutorly.dev",
    name: "Jonas Weber",
    timezone: "Europe/Berlin",
    subjects: ["physics", "mathematics"],
    hourlyRateCents: 5000,
    bio: "PhD student in physics at TU Berlin. Mechanics, electromagnetism and the calculus behind them.",
    weekly: [...weekdays("17:00", "21:00"), { weekday: 6, start: "10:00", end: "14:00" }],
  },
  {
    email: "priya@tutorly.dev",
    name: "Priya Sharma",
    timezone: "Asia/Kolkata",
    subjects: ["computer science", "python"],
    hourlyRateCents: 3000,
    offersTrials: true,
    bio: "Software engineer in Bengaluru. Python from first loop to data structures, with projects you keep.",
    weekly: weekdays("18:30", "22:30"),
  },
  {
    email: "anish@tutorly.dev",
    name: "Anish Shrestha",
    timezone: "Asia/Kathmandu",
    subjects: ["mathematics", "chemistry"],
    hourlyRateCents: 2000,
    bio: "Chemistry graduate from Kathmandu University. Patient explanations and plenty of worked examples.",
    weekly: weekdays("06:00", "10:00", [1, 2, 3, 4, 5, 6, 7]),
  },
  {
    email: "yuki@tutorly.dev",
    name: "Yuki Tanaka",
    timezone: "Asia/Tokyo",
    subjects: ["japanese"],
    hourlyRateCents: 3500,
    bio: "JLPT N5 to N2 coaching from Tokyo. Kana in a week, kanji with mnemonics, real conversation early.",
    weekly: weekdays("19:00", "23:00"),
  },
  {
    email: "charlotte@tutorly.dev",
    name: "Charlotte Nguyen",
    timezone: "Australia/Sydney",
    subjects: ["biology", "chemistry"],
    hourlyRateCents: 4200,
    bio: "Biomedical science tutor in Sydney. HSC and AP biology, lab reports and exam technique.",
    weekly: weekdays("07:00", "10:00"),
  },
  {
    email: "mateo@tutorly.dev",
    name: "Mateo García",
    timezone: "America/Mexico_City",
    subjects: ["spanish"],
    hourlyRateCents: 2200,
    bio: "Spanish for travellers and heritage speakers, from Mexico City. Grammar when you need it, chat when you don't.",
    weekly: weekdays("10:00", "16:00"),
  },
  {
    email: "sophie@tutorly.dev",
    name: "Sophie Martin",
    timezone: "Europe/Paris",
    subjects: ["french", "english"],
    hourlyRateCents: 3800,
    offersTrials: true,
    bio: "Parisian French teacher, DELF examiner. Pronunciation, everyday French and exam preparation.",
    weekly: weekdays("13:00", "18:00"),
  },
  {
    email: "daniel@tutorly.dev",
    name: "Daniel Kim",
    timezone: "America/Los_Angeles",
    subjects: ["computer science", "mathematics"],
    hourlyRateCents: 6000,
    bio: "Bay Area engineer. Algorithms, interview prep and discrete math for CS majors.",
    weekly: weekdays("17:00", "21:00"),
  },
  {
    email: "fatima@tutorly.dev",
    name: "Fatima Al-Sayed",
    timezone: "Asia/Dubai",
    subjects: ["arabic", "english"],
    hourlyRateCents: 2800,
    bio: "Modern Standard Arabic and Gulf dialect from Dubai. Reading, writing and confident speaking.",
    weekly: weekdays("15:00", "19:00", [1, 2, 3, 4, 7]),
  },
];

export const DEMO_STUDENTS = [
  { email: "maya@tutorly.dev", name: "Maya Johnson", timezone: "America/Chicago" },
  { email: "leo@tutorly.dev", name: "Leo Rossi", timezone: "Europe/Rome" },
  { email: "aiko@tutorly.dev", name: "Aiko Sato", timezone: "Asia/Tokyo" },
];
