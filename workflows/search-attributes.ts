/**
 * Search attributes of the workflows, so operators can find a campaign's or a trust's transfers in
 * the Temporal UI. They hold ids only, never personal data. A transfer is given its trust and campaign
 * by whoever starts it (transferSearchAttributes); its state lives in PostgreSQL (transfers.state),
 * which the API lists, and is not mirrored into Temporal's visibility store as it changes: that cost
 * a visibility write per step of every transfer. TransferState stays registered for the transfers
 * started before starters gave them their attributes, which still set them all as they go. The
 * dev-server launcher registers them all; on any other server every process of the service does on
 * start (temporal/search-attributes.ts).
 */
import { defineSearchAttributeKey, type SearchAttributePair, SearchAttributeType } from '@temporalio/common';

export const TransferStateAttribute = defineSearchAttributeKey('TransferState', SearchAttributeType.KEYWORD);
export const TrustOdsAttribute = defineSearchAttributeKey('TrustOds', SearchAttributeType.KEYWORD);
export const CampaignIdAttribute = defineSearchAttributeKey('CampaignId', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [TransferStateAttribute, TrustOdsAttribute, CampaignIdAttribute] as const;

/** What a transfer is started with: its pathway's trust, and the campaign that started it, if any. */
export function transferSearchAttributes(transfer: { readonly trustOds: string; readonly campaignId?: number }): SearchAttributePair[] {
  return [
    { key: TrustOdsAttribute, value: transfer.trustOds },
    ...(transfer.campaignId !== undefined ? [{ key: CampaignIdAttribute, value: String(transfer.campaignId) }] : []),
  ];
}
