/**
 * A campaign's funnel on real PostgreSQL: transfers left at every stage (as the transfer workflow
 * leaves them) in two trusts and specialties, a second campaign and a transfer of no campaign that
 * must not count, and the money and capacity of its bookings; checked against numbers worked out by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareClaimLines } from '../../db/repositories/claims';
import { addDays, dayOf } from '../../domain/dates';
import { seedHeldBookings, treatBookings } from '../../generate/bookings';
import { campaignFunnel, campaignFunnelCsv } from '../../reports/campaign-funnel';
import { type ChannelCounts, FUNNEL_STAGES, type FunnelCounts } from '../../reports/funnel-stages';
import type { PatientChannel } from '../../domain/channels';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { loadFixtureWorld } from '../support/fixture-world';
import { addCampaignTransfers, type BookingPlace, type Cohort, insertCampaign } from './campaign-transfers';

const TODAY = dayOf(new Date());
const HIP = 700_000;
const CATARACT = 100_000;
let database: TestDatabase;
let fundId: number;
let campaignId: number;
let otherCampaignId: number;

/** Offered, answered and accepted for each channel. */
const channels = (values: Record<PatientChannel, [number, number, number]>): ChannelCounts =>
  Object.fromEntries(Object.entries(values).map(([channel, [offered, responded, accepted]]) => [channel, { offered, responded, accepted }])) as ChannelCounts;
const counts = (values: Partial<FunnelCounts>): FunnelCounts => ({ ...Object.fromEntries(FUNNEL_STAGES.map((stage) => [stage, 0])), ...values }) as FunnelCounts;

beforeAll(async () => {
  database = await createTestDatabase();
  const db = database.db;
  await loadFixtureWorld(db);
  ({ id: fundId } = await db
    .insertInto('funds')
    .values({ name: 'Campaign fund', allocation_pence: 100_000_000, window_from: addDays(TODAY, -90), window_to: addDays(TODAY, 180), region_code: 'Y60' })
    .returning('id')
    .executeTakeFirstOrThrow());
  const campaign = { regionCode: 'Y60', fundId, trusts: ['RWE', 'RRK'], treatmentFunctions: ['110', '130'], periodFrom: addDays(TODAY, -60), periodTo: addDays(TODAY, 90) };
  campaignId = await insertCampaign(db, { ...campaign, name: 'Midlands hips and eyes', eligible: 60 });
  otherCampaignId = await insertCampaign(db, { ...campaign, name: 'Another campaign', eligible: 1 });

  const hips = (count: number, reached: Cohort['reached'], channel?: PatientChannel): Cohort => ({ count, reached, trustOds: 'RWE', treatmentFunctionCode: '110', procedureCode: 'W37.1', channel });
  const eyes = (count: number, reached: Cohort['reached'], channel?: PatientChannel): Cohort => ({ count, reached, trustOds: 'RRK', treatmentFunctionCode: '130', procedureCode: 'C71.2', channel });
  const done = { fundId, siteOds: 'NT350', procedureDate: addDays(TODAY, -10), treatedOn: addDays(TODAY, -10) };
  const hipPlace: BookingPlace = { ...done, pricePence: HIP, procedureDate: addDays(TODAY, 40) };
  for (const cohort of [
    hips(2, 'screened_out'),
    hips(3, 'awaiting_review'),
    hips(1, 'refused'),
    hips(1, 'approved'),
    hips(2, 'offered', 'sms'),
    hips(2, 'declined', 'letter'),
    hips(1, 'lapsed'),
    hips(1, 'accepted'),
    hips(2, 'booked', 'sms'),
    hips(1, 'withdrawn_booked'),
    hips(1, 'withdrawn'),
  ]) {
    await addCampaignTransfers(db, campaignId, cohort, hipPlace);
  }
  const treatedHips = await addCampaignTransfers(db, campaignId, hips(3, 'treated'), { ...done, pricePence: HIP });
  // One treated hip has no consent on file: its claim line is held, its money stays committed.
  await db.deleteFrom('patient_responses').where('transfer_id', '=', treatedHips[0]!).execute();
  await addCampaignTransfers(db, campaignId, eyes(2, 'treated'), { ...done, pricePence: CATARACT });
  await addCampaignTransfers(db, campaignId, eyes(1, 'offered', 'sms'), { ...done, pricePence: CATARACT });
  // Not this campaign's: a treated hip of another campaign, and one of no campaign.
  await addCampaignTransfers(db, otherCampaignId, hips(1, 'treated'), { ...done, pricePence: HIP });
  const seed = { fundId, count: 1, trustOds: 'RWE', siteOds: 'NT350', treatmentFunctionCode: '110', procedureCode: 'W37.1', pricePence: HIP, priceSource: 'test' };
  await treatBookings(db, await seedHeldBookings(db, { ...seed, procedureDate: done.procedureDate }), { procedureCode: 'W37.1', treatedOn: done.treatedOn });
  // A slot after the campaign's period, and one of a specialty it does not cover: neither is its capacity.
  await db.insertInto('treatment_functions').values({ code: '120', name: 'Ear Nose and Throat Service', rtt_group: 'C_120' }).execute();
  await db
    .insertInto('slots')
    .values([
      { site_ods: 'NT350', treatment_function_code: '110', procedure_code: 'W37.1', slot_date: addDays(TODAY, 91), ordinal: 1 },
      { site_ods: 'NT350', treatment_function_code: '120', procedure_code: null, slot_date: addDays(TODAY, 30), ordinal: 1 },
    ])
    .execute();
  expect(await prepareClaimLines(db, fundId, TODAY)).toEqual({ created: 7, validated: 6, held: 1 });
});

afterAll(async () => {
  await database?.drop();
});

describe('campaignFunnel', () => {
  it('counts each stage a transfer reached, by trust and specialty and in total', async () => {
    const funnel = (await campaignFunnel(database.db, campaignId))!;
    // Leicester hips, 20 transfers: 2 screened out, 3 awaiting review, 1 refused, and 14 confirmed
    // (approved): 1 whose offer is still in the outbox, so 13 offered: 2 open, 2 declined, 1 lapsed,
    // and 8 accepted (1 held, 2 booked, 1 withdrew after booking, 1 withdrew before, 3 treated);
    // booked = 2 + 1 + 3 = 6; treated 3, of which 2 claimed (the third has no consent on file).
    const hips = counts({ eligible: 20, screenedOut: 2, awaitingReview: 3, approved: 14, offered: 13, accepted: 8, declined: 2, lapsed: 1, booked: 6, withdrawn: 2, treated: 3, claimed: 2 });
    // Birmingham eyes, 3 transfers: 1 offered, 2 treated and claimed (so approved, offered, accepted, booked).
    const eyes = counts({ eligible: 3, approved: 3, offered: 3, accepted: 2, booked: 2, treated: 2, claimed: 2 });
    // By the first offer's channel. Hips: texted the 2 open and the 2 booked (so 2 answered, 2 accepted);
    // a letter to the 2 who declined; the other 7 offered were emailed: 1 lapsed, 6 accepted (1 held,
    // 1 withdrew after booking, 1 before, 3 treated). Eyes: the open one texted, the 2 treated emailed.
    const hipChannels = channels({ sms: [4, 2, 2], email: [7, 6, 6], letter: [2, 2, 0] });
    const eyeChannels = channels({ sms: [1, 0, 0], email: [2, 2, 2], letter: [0, 0, 0] });
    expect(funnel.byTrustAndSpecialty).toEqual([
      { trustOds: 'RRK', trustName: 'University Hospitals Birmingham NHS Foundation Trust', treatmentFunctionCode: '130', treatmentFunctionName: 'Ophthalmology Service', ...eyes, byChannel: eyeChannels },
      { trustOds: 'RWE', trustName: 'University Hospitals of Leicester NHS Trust', treatmentFunctionCode: '110', treatmentFunctionName: 'Trauma and Orthopaedic Service', ...hips, byChannel: hipChannels },
    ]);
    // Every offer here left a message, so the channels add up to the 16 offered.
    expect(funnel.byChannel).toEqual(channels({ sms: [5, 2, 2], email: [9, 8, 8], letter: [2, 2, 0] }));
    // The totals add the groups up, but eligible is the dry run's 60 at launch; 23 transfers started.
    expect(funnel.totals).toEqual(counts({ eligible: 60, screenedOut: 2, awaitingReview: 3, approved: 17, offered: 16, accepted: 10, declined: 2, lapsed: 1, booked: 8, withdrawn: 2, treated: 5, claimed: 4 }));
    expect(funnel.started).toBe(23);
  });

  it("sums the money of the campaign's bookings and the capacity of its period", async () => {
    const funnel = (await campaignFunnel(database.db, campaignId))!;
    // Committed: 2 booked hips and the treated hip held back (the withdrawn booking's was released) = 3 × £7,000.
    // Claimed: 2 hips and 2 cataracts = 2 × £7,000 + 2 × £1,000 (the other campaign's hip is not ours).
    expect(funnel.money).toEqual({ committedPence: 3 * HIP, claimedPence: 2 * HIP + 2 * CATARACT });
    // In the period, specialties 110 and 130: the fixture world's 5 slots, and one per seeded booking:
    // 5 future hips, 3 + 2 treated, the other campaign's and the campaign-less one = 17. Booked by the
    // campaign: 1 held, 2 accepted, 5 completed (the withdrawn ones' bookings were cancelled) = 8.
    expect(funnel.capacity).toEqual({ slotsInPeriod: 17, slotsBooked: 8 });
  });

  it('gives a campaign with no transfers yet its launch figure and zeros, and nothing for an unknown campaign', async () => {
    const empty = await insertCampaign(database.db, {
      name: 'Not started',
      regionCode: 'Y60',
      fundId,
      trusts: ['RWE'],
      treatmentFunctions: ['130'],
      periodFrom: TODAY,
      periodTo: addDays(TODAY, 10),
      eligible: 12,
    });
    const funnel = (await campaignFunnel(database.db, empty))!;
    expect(funnel).toMatchObject({ totals: counts({ eligible: 12 }), started: 0, byTrustAndSpecialty: [], money: { committedPence: 0, claimedPence: 0 } });
    expect(funnel.byChannel).toEqual(channels({ sms: [0, 0, 0], email: [0, 0, 0], letter: [0, 0, 0] }));
    expect(funnel.capacity).toEqual({ slotsInPeriod: 0, slotsBooked: 0 });
    expect(await campaignFunnel(database.db, 999_999)).toBeUndefined();
  });

  it('writes the funnel as CSV: a row per trust and specialty, then the totals, each with its stages and by channel', async () => {
    const csv = campaignFunnelCsv((await campaignFunnel(database.db, campaignId))!);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      'trust_ods,trust_name,treatment_function_code,treatment_function_name,eligible,screened_out,awaiting_review,approved,offered,accepted,declined,lapsed,booked,withdrawn,treated,claimed,' +
        'offered_by_sms,responded_by_sms,accepted_by_sms,offered_by_email,responded_by_email,accepted_by_email,offered_by_letter,responded_by_letter,accepted_by_letter',
    );
    expect(lines.slice(1)).toEqual([
      'RRK,University Hospitals Birmingham NHS Foundation Trust,130,Ophthalmology Service,3,0,0,3,3,2,0,0,2,0,2,2,1,0,0,2,2,2,0,0,0',
      'RWE,University Hospitals of Leicester NHS Trust,110,Trauma and Orthopaedic Service,20,2,3,14,13,8,2,1,6,2,3,2,4,2,2,7,6,6,2,2,0',
      'all,All trusts,all,All specialties,60,2,3,17,16,10,2,1,8,2,5,4,5,2,2,9,8,8,2,2,0',
    ]);
  });

  it('counts an offer Notify refused as sent as offered, by the channel it was tried by, as one that failed for good after Notify took it', async () => {
    const refusedTexts = await insertCampaign(database.db, {
      name: 'Texts Notify refused',
      regionCode: 'Y60',
      fundId,
      trusts: ['RWE'],
      treatmentFunctions: ['110'],
      periodFrom: TODAY,
      periodTo: addDays(TODAY, 10),
      eligible: 1,
    });
    const place = { fundId, siteOds: 'NT350', procedureDate: addDays(TODAY, 40), pricePence: HIP, treatedOn: TODAY };
    const ids = await addCampaignTransfers(database.db, refusedTexts, { count: 1, reached: 'offered', trustOds: 'RWE', treatmentFunctionCode: '110', procedureCode: 'W37.1', channel: 'sms' }, place);
    // As activities/messages.ts leaves a text Notify refused (a 400): it did not go, and failed for good.
    await database.db.updateTable('messages').set({ status: 'refused', sent_at: null, delivery_status: 'permanent-failure', delivery_status_at: new Date() }).where('transfer_id', 'in', ids).execute();
    const funnel = (await campaignFunnel(database.db, refusedTexts))!;
    expect(funnel.totals).toMatchObject({ approved: 1, offered: 1 });
    expect(funnel.byChannel).toEqual(channels({ sms: [1, 0, 0], email: [0, 0, 0], letter: [0, 0, 0] }));
  });
});
