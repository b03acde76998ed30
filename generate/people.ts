/**
 * What synthetic patients are made of. Names are common first names and surnames across England's
 * communities; ethnic categories follow the 2021 Census for England (NHS ethnic category codes); the
 * clinical facts occur at rates that exercise every exclusion criterion.
 */

export const GIVEN_NAMES = {
  female: [
    'Olivia', 'Amelia', 'Isla', 'Ava', 'Mia', 'Grace', 'Sophia', 'Emily', 'Margaret', 'Susan', 'Patricia', 'Linda', 'Janet',
    'Helen', 'Sarah', 'Karen', 'Julie', 'Claire', 'Fatima', 'Aisha', 'Priya', 'Amira', 'Zainab', 'Mei', 'Chloe', 'Jasmine',
    'Niamh', 'Siobhan', 'Abena', 'Ngozi', 'Maria', 'Anna', 'Joanne', 'Elaine', 'Pauline', 'Jean', 'Sandra', 'Gillian',
  ],
  male: [
    'Oliver', 'George', 'Noah', 'Arthur', 'Harry', 'Leo', 'Jack', 'David', 'John', 'Michael', 'Peter', 'Paul', 'Robert', 'James',
    'Stephen', 'Mark', 'Andrew', 'Ian', 'Mohammed', 'Ahmed', 'Imran', 'Rajesh', 'Sanjay', 'Wei', 'Kwame', 'Chinedu', 'Tomasz',
    'Piotr', 'Sean', 'Patrick', 'Gareth', 'Keith', 'Colin', 'Brian', 'Trevor', 'Dennis', 'Kevin', 'Gary',
  ],
} as const;

export const FAMILY_NAMES = [
  'Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel', 'Robinson', 'Wright', 'Thompson',
  'Evans', 'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Thomas', 'Clarke', 'Jackson', 'Wood', 'Harris', 'Edwards', 'Turner',
  'Martin', 'Cooper', 'Hill', 'Ward', 'Hughes', 'Moore', 'Clark', 'King', 'Harrison', 'Lewis', 'Baker', 'Lee', 'Allen', 'Morris',
  'Khan', 'Ali', 'Hussain', 'Begum', 'Ahmed', 'Shah', 'Singh', 'Kaur', 'Chen', 'Wang', 'Nowak', 'Kowalski', 'Okafor', 'Mensah',
  'Osei', 'Campbell', 'Murphy', "O'Brien", 'Kelly', 'Mitchell', 'Bennett', 'Price', 'Shaw', 'Lloyd', 'Begum', 'Akhtar', 'Rahman',
];

export const STREETS = ['High Street', 'Station Road', 'Church Lane', 'Victoria Road', 'Park Avenue', 'Mill Lane', 'The Crescent', 'Green Lane', 'Manor Road', 'Queens Road'];

/** NHS ethnic category code and its share of England's population (Census 2021). */
export const ETHNIC_CATEGORIES: readonly (readonly [string, number])[] = [
  ['A', 73.5], ['B', 0.9], ['C', 6.5], ['D', 0.8], ['E', 0.3], ['F', 0.9], ['G', 1.0], ['H', 3.3], ['J', 2.8], ['K', 1.1],
  ['L', 1.7], ['M', 1.1], ['N', 2.6], ['P', 0.5], ['R', 0.8], ['S', 2.2], ['Z', 1.0],
];

/** Ages of people waiting for planned care: most are over fifty. */
export const AGE_BANDS: readonly (readonly [min: number, max: number, share: number])[] = [
  [16, 17, 1],
  [18, 39, 15],
  [40, 59, 30],
  [60, 74, 34],
  [75, 94, 20],
];

export const TRAVEL_PREFERENCES: readonly (readonly [string, number])[] = [
  ['25', 30],
  ['50', 40],
  ['100', 20],
  ['anywhere', 10],
];

/** How often each clinical fact occurs among waiting patients (rough population rates). */
export const CLINICAL_RATES = {
  heartAttackInTwoYears: 0.025,
  strokeInTwoYears: 0.02,
  needsCriticalCare: 0.02,
  onDialysis: 0.005,
  diabetesControlled: 0.09,
  diabetesUncontrolled: 0.025,
  hypertensionControlled: 0.2,
  hypertensionUncontrolled: 0.04,
  anticoagulated: 0.06,
  sickleCell: 0.003,
  psychiatricUnstable: 0.01,
  email: 0.82,
  phone: 0.93,
} as const;
