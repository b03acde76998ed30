/**
 * Search attributes the workflows set, so operators can find a campaign's or a trust's transfers in
 * the Temporal UI. They hold ids and states only, never personal data. The dev-server launcher
 * registers them; a real cluster registers them with `temporal operator search-attribute create`.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const TransferStateAttribute = defineSearchAttributeKey('TransferState', SearchAttributeType.KEYWORD);
export const TrustOdsAttribute = defineSearchAttributeKey('TrustOds', SearchAttributeType.KEYWORD);
export const CampaignIdAttribute = defineSearchAttributeKey('CampaignId', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [TransferStateAttribute, TrustOdsAttribute, CampaignIdAttribute] as const;
