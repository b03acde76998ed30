/** The API's OpenAPI document as types, written by `npx tsx api/client/generate.ts`: do not edit. */

export interface paths {
    "/health/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Whether the process answers (checks no dependency) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The process answers */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Liveness"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Whether the database and Temporal answer, so requests can be served */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The database and Temporal answer */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Readiness"];
                    };
                };
                /** @description The database or Temporal does not answer; its check names the problem */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Readiness"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Whether the database, Temporal and the SMTP server answer */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The database and Temporal answer: `ok`, or `degraded` when the SMTP server does not (messages wait and are retried) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Health"];
                    };
                };
                /** @description The database or Temporal does not answer; its check names the problem */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Health"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/transfers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Transfers in your scope, newest first, a page at a time */
        get: operations["listTransfers"];
        put?: never;
        /** Start a pathway's transfer */
        post: operations["startTransfer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/transfers/review/queue": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your trust's candidates awaiting review, longest waiting first, with the facts and each site's screening result */
        get: operations["getReviewQueue"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/transfers/{id}/review": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Confirm or refuse a candidate (a clinician of its trust) */
        post: operations["reviewTransfer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/transfers/review/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Confirm a selected batch of candidates at once (a clinician of their trust) */
        post: operations["confirmCandidates"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/transfers/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A transfer with its timeline */
        get: operations["getTransfer"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/bookings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The bookings at your sites (a provider's own; all for an admin) */
        get: operations["listBookings"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/bookings/{id}/decision": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Accept or reject a booking after pre-op assessment */
        post: operations["decideBooking"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/bookings/{id}/outcome": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Record the outcome: treated (with the OPCS-4 code and date), did not attend, or cancelled
         * @description A treated date may not be before the patient's consent, the provider's acceptance or the booked procedure date, nor more than 28 days after that date: 422 with the rule broken as the code (treated_before_consent, treated_before_acceptance, treated_before_procedure_date, treated_too_long_after_procedure_date). A day still to come is a 422 naming treatedOn.
         */
        post: operations["recordBookingOutcome"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/callbacks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Open call backs in your scope, oldest first */
        get: operations["listCallbacks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/callbacks/{id}/done": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mark a call back done */
        post: operations["markCallbackDone"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/funds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Funds in your scope, with their balances */
        get: operations["listFunds"];
        put?: never;
        /** Create a fund (finance): allocation, window, scope and optional per-trust allocations */
        post: operations["createFund"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/funds/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A fund with its balances at the end of each day it moved (the ledger over time) */
        get: operations["getFund"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/funds/{id}/movements": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A fund's ledger rows, newest first, a page at a time */
        get: operations["listFundMovements"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/funds/{id}/reconciliation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every treated transfer with its claim line and money, and every difference (none for a clean campaign) */
        get: operations["getFundReconciliation"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/funds/{id}/claims-run": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start the fund's claims run now, as its nightly Schedule does */
        post: operations["runFundClaims"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/claims": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Claims in your scope, newest month first */
        get: operations["listClaims"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/claims/lines": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Claim lines: those of a claim, of a fund, or held with their reasons */
        get: operations["listClaimLines"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/claims/claims.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Claims as CSV */
        get: operations["exportClaimsCsv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/claims/lines.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Claim lines as CSV (ODS codes, HRG, OPCS-4, dates, amounts) */
        get: operations["exportClaimLinesCsv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/claims/{id}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve a submitted claim */
        post: operations["approveClaim"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/claims/{id}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reject a submitted claim, with a reason; its money goes back to the fund */
        post: operations["rejectClaim"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/claims/{id}/paid": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mark an approved claim paid */
        post: operations["markClaimPaid"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/campaigns": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Campaigns in your scope, newest first */
        get: operations["listCampaigns"];
        put?: never;
        /** Launch a campaign, or with dryRun only count what it would do (nothing is sent or written) */
        post: operations["launchCampaign"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/campaigns/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A campaign with its live funnel by trust and specialty (money, capacity) and its workflow's progress */
        get: operations["getCampaign"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/campaigns/{id}/report": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The campaign report: its funnel (and by channel), and the equity report by deprivation quintile, age band, sex, ethnicity and channel */
        get: operations["getCampaignReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/campaigns/{id}/report.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The funnel as CSV: a row per trust and specialty, then the totals */
        get: operations["getCampaignReportCsv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/campaigns/{id}/equity.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The equity report as CSV: the campaign, then a row per group of each dimension, with rates and flags */
        get: operations["getCampaignEquityCsv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/campaigns/{id}/pause": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Pause a campaign: no new offers; those out stay open */
        post: operations["pauseCampaign"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/campaigns/{id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Resume a paused campaign */
        post: operations["resumeCampaign"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/campaigns/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel a campaign: open offers are withdrawn with a polite email, holds and commitments released; booked transfers continue */
        post: operations["cancelCampaign"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/print-batches/{trustOds}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A trust's daily letter batches of the last 30 days (and older ones still waiting), newest first */
        get: operations["listPrintBatches"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/print-batches/{trustOds}/{day}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download a day's letters as one PDF to print and post; the waiting ones are marked printed
         * @description Every letter queued for the trust on that day (in England), including those already downloaded, so a lost file can be fetched again. Each download is written to the audit log.
         */
        get: operations["downloadPrintBatch"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/imports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The import kinds, their formats and their documented CSV layouts */
        get: operations["listImportKinds"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/imports/{kind}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import a file, all or nothing
         * @description The body is the file itself (CSV, an official NHS file or a zip of one, or a FHIR R4 Bundle in JSON for pathways). Nothing is changed unless every row is valid; the report lists every rejected row.
         */
        post: operations["importFile"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/shortfalls": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Which trusts missed their contracted elective volume, worst first */
        get: operations["listShortfalls"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/capacity": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Free and booked IS slots by site, specialty and ISO week: a provider's own sites, every site for regional teams and admins */
        get: operations["getCapacity"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Search the audit log by actor, subject, action and days, newest first, a page at a time; admins only
         * @description Each search is itself written to the audit log (its filters).
         */
        get: operations["searchAuditLog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/codec/decode": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Decrypt Temporal payloads for the Temporal UI or CLI (Temporal's remote codec protocol); admins only
         * @description Every decode is written to the audit log (who, the namespace, how many payloads), never what the payloads hold.
         */
        post: operations["decodePayloads"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Liveness: {
            /** @enum {string} */
            status: "ok";
        };
        Readiness: {
            /** @enum {string} */
            status: "ok" | "unavailable";
            checks: {
                /**
                 * @description `ok`, or `unavailable: ` and the reason
                 * @example ok
                 */
                database: string;
                /**
                 * @description `ok`, or `unavailable: ` and the reason
                 * @example ok
                 */
                temporal: string;
            };
        };
        /**
         * @example {
         *       "status": "degraded",
         *       "checks": {
         *         "database": "ok",
         *         "temporal": "ok",
         *         "smtp": "unavailable: connect ECONNREFUSED 10.0.0.7:587"
         *       }
         *     }
         */
        Health: {
            /** @enum {string} */
            status: "ok" | "degraded" | "unavailable";
            checks: {
                /**
                 * @description `ok`, or `unavailable: ` and the reason
                 * @example ok
                 */
                database: string;
                /**
                 * @description `ok`, or `unavailable: ` and the reason
                 * @example ok
                 */
                temporal: string;
                /**
                 * @description `ok`, or `unavailable: ` and the reason
                 * @example ok
                 */
                smtp: string;
            };
        };
        TransferStarted: {
            workflowId: string;
            pathwayId: number;
        };
        Error: {
            error: {
                code: string;
                message: string;
                details?: unknown;
            };
        };
        StartTransfer: {
            /** @example 1 */
            pathwayId: number;
            /** @example 1 */
            fundId: number;
            /** @example 14 */
            responseWindowDays?: number;
        };
        ReviewCandidate: {
            transferId: number;
            pathwayRef: string;
            patientName: string;
            sex: string;
            treatmentFunction: string;
            procedure: string | null;
            clockStartDate: string;
            facts: {
                dateOfBirth: string;
                bmi: number | null;
                lastHeartAttackOn: string | null;
                lastStrokeOn: string | null;
                needsCriticalCare: boolean;
                onDialysis: boolean;
                diabetes: string;
                hypertension: string;
                anticoagulated: boolean;
                sickleCell: boolean;
                psychiatricUnstable: boolean;
            };
            sites: {
                siteName: string;
                passes: boolean;
                exclusions: {
                    criterion: string;
                    reason: string;
                }[];
            }[];
            /** @description The pathway's earlier transfers, newest first: how they ended, when and why */
            earlierTransfers: {
                transferId: number;
                state: components["schemas"]["TransferState"];
                openedAt: string;
                closedAt: string;
                reason: string | null;
            }[];
        };
        /** @enum {string} */
        TransferState: "opened" | "awaiting_review" | "offered" | "booking" | "awaiting_provider" | "booked" | "screened_out" | "refused" | "review_lapsed" | "no_choices" | "declined" | "lapsed" | "returned" | "withdrawn" | "treated" | "did_not_attend" | "cancelled" | "campaign_cancelled";
        ReviewResult: {
            transferId: number;
            state?: components["schemas"]["TransferState"];
            error?: string;
        };
        /**
         * @example {
         *       "decision": "refuse",
         *       "reason": "Needs a cardiology opinion first"
         *     }
         */
        Review: {
            /** @enum {string} */
            decision: "confirm" | "refuse";
            reason?: string;
        };
        BulkConfirm: {
            /**
             * @example [
             *       1,
             *       2,
             *       3
             *     ]
             */
            transferIds: number[];
        };
        TransferSummary: {
            id: number;
            pathwayId: number;
            trustOds: string;
            treatmentFunctionCode: string;
            state: components["schemas"]["TransferState"];
            openedAt: string;
            updatedAt: string;
            closedAt: string | null;
        };
        Transfer: {
            id: number;
            pathwayId: number;
            workflowId: string;
            state: components["schemas"]["TransferState"];
            openedAt: string;
            updatedAt: string;
            closedAt: string | null;
            timeline: {
                at: string;
                kind: string;
                /** @description What the event records: `screened_out` has `sites` (each site with the exclusions that stopped the patient) or a `reason`; `returned_to_list` has the pathway's original `clockStartDate`, `closedAs` (the state the transfer ended in) and any `reason` */
                detail: {
                    [key: string]: unknown;
                };
            }[];
            /** @description The pathway's earlier transfers, newest first: how they ended, when and why */
            earlierTransfers: {
                transferId: number;
                state: components["schemas"]["TransferState"];
                openedAt: string;
                closedAt: string;
                reason: string | null;
            }[];
        };
        Booking: {
            id: number;
            transferId: number;
            /** @enum {string} */
            status: "held" | "requested" | "accepted" | "rejected" | "released" | "cancelled" | "completed";
            siteOds: string;
            siteName: string;
            procedureDate: string;
            procedureCode: string | null;
            pricePence: number;
            priceSource: string;
        };
        BookingChanged: {
            bookingId: number;
            transferState: components["schemas"]["TransferState"];
        };
        /**
         * @example {
         *       "decision": "reject",
         *       "reason": "Anaesthetic risk found at pre-op assessment"
         *     }
         */
        BookingDecision: {
            /** @enum {string} */
            decision: "accept" | "reject";
            reason?: string;
        };
        /**
         * @example {
         *       "outcome": "treated",
         *       "procedureCode": "W37.1",
         *       "treatedOn": "2026-12-14"
         *     }
         */
        BookingOutcome: {
            /** @enum {string} */
            outcome: "treated" | "did_not_attend" | "cancelled";
            procedureCode?: string;
            treatedOn?: string;
            reason?: string;
        };
        Callback: {
            id: number;
            transferId: number;
            trustOds: string;
            pathwayRef: string;
            patientName: string;
            phone: string | null;
            requestedAt: string;
        };
        Fund: {
            id: number;
            name: string;
            windowFrom: string;
            windowTo: string;
            regionCode: string | null;
            balance: components["schemas"]["FundBalance"];
            trusts: {
                trustOds: string;
                allocationPence: number | null;
                balance: components["schemas"]["FundBalance"] | null;
            }[];
            treatmentFunctions: string[];
        };
        FundBalance: {
            allocationPence: number;
            committedPence: number;
            claimedPence: number;
            paidPence: number;
            remainingPence: number;
        };
        /**
         * @example {
         *       "name": "Midlands orthopaedics winter 2026",
         *       "allocationPence": 250000000,
         *       "windowFrom": "2026-12-01",
         *       "windowTo": "2027-03-31",
         *       "regionCode": "Y60",
         *       "trusts": [
         *         {
         *           "trustOds": "RWE",
         *           "allocationPence": null
         *         }
         *       ],
         *       "treatmentFunctions": [
         *         "110"
         *       ]
         *     }
         */
        NewFund: {
            name: string;
            allocationPence: number;
            windowFrom: string;
            windowTo: string;
            /** @default null */
            regionCode: string | null;
            /** @default [] */
            trusts: {
                trustOds: string;
                /** @default null */
                allocationPence: number | null;
            }[];
            /** @default [] */
            treatmentFunctions: string[];
        };
        FundLedger: {
            fund: components["schemas"]["Fund"];
            days: {
                day: string;
                committedPence: number;
                claimedPence: number;
                paidPence: number;
            }[];
        };
        FundMovement: {
            id: number;
            at: string;
            /** @enum {string} */
            kind: "commitment" | "release" | "claim" | "payment" | "rejection";
            bookingId: number;
            trustOds: string;
            amountPence: number;
            reason: string | null;
        };
        Reconciliation: {
            fundId: number;
            treated: {
                transferId: number;
                bookingId: number;
                trustOds: string;
                siteOds: string;
                treatedOn: string;
                pricePence: number;
                lineId: number | null;
                lineStatus: string | null;
                claimId: number | null;
                claimStatus: string | null;
                claimedPence: number;
                paidPence: number;
            }[];
            differences: {
                /** @enum {string} */
                kind: "treated_unclaimed" | "claimed_not_treated" | "claimed_amount_differs" | "commitment_left_open" | "claim_total_differs";
                transferId: number | null;
                bookingId: number | null;
                claimId: number | null;
                detail: string;
            }[];
        };
        Claim: {
            id: number;
            fundId: number;
            fundName: string;
            trustOds: string;
            trustName: string;
            /** @example 2026-12 */
            month: string;
            sequence: number;
            lineCount: number;
            totalPence: number;
            /** @enum {string} */
            status: "submitted" | "approved" | "rejected" | "paid";
            createdAt: string;
            decidedBy: string | null;
            decidedAt: string | null;
            decisionReason: string | null;
            paidAt: string | null;
        };
        ClaimLine: {
            id: number;
            claimId: number | null;
            /** @enum {string|null} */
            claimStatus: "submitted" | "approved" | "rejected" | "paid" | null;
            fundId: number;
            transferId: number;
            pathwayRef: string;
            trustOds: string;
            trustName: string;
            providerOds: string;
            siteOds: string;
            siteName: string;
            treatmentFunctionCode: string;
            procedureCode: string | null;
            hrgCode: string | null;
            treatedOn: string;
            pricePence: number;
            priceSource: string;
            /** @enum {string} */
            status: "held" | "month_open" | "valid" | "rejected";
            problems: string[];
        };
        Campaign: {
            id: number;
            name: string;
            regionCode: string;
            fundId: number;
            trusts: string[];
            treatmentFunctions: string[];
            period: {
                from: string;
                to: string;
            };
            cohortRules: {
                minWeeksWaited: number;
                noAppointmentWithinWeeks: number;
                minAge: number;
                declinedWithinDays: number;
            };
            transferSettings: {
                responseWindowDays: number;
                reminderDays: number[];
            };
            maxOffers: number;
            launchSummary: components["schemas"]["CampaignDryRunSummary"];
            /** @enum {string} */
            status: "running" | "paused" | "cancelled" | "completed";
            launchedBy: string;
            launchedAt: string;
            closedAt: string | null;
            workflowId: string;
        };
        CampaignDryRunSummary: {
            trusts: string[];
            eligible: number;
            screenedOut: number;
            /** @description Why each screened-out patient is: no IS site has slots for their specialty and procedure in the period, or an exclusion criterion stops them at every site that has. They add up to screenedOut */
            screenedOutReasons: {
                noSiteForProcedure: number;
                excludedByCriteria: number;
            };
            /** @description Of those excluded by criteria, how many each criterion excluded at some site (a patient may have several, so these may add up to more) */
            screenedOutCriteria: {
                [key: string]: number;
            };
            noChoice: number;
            wouldOffer: number;
            expectedCostPence: number;
            fundRemainingPence: number;
            slotsAvailable: number;
        };
        CampaignDryRun: {
            /** @enum {boolean} */
            dryRun: true;
            summary: components["schemas"]["CampaignDryRunSummary"];
        };
        /**
         * @example {
         *       "name": "Midlands orthopaedics winter 2026",
         *       "regionCode": "Y60",
         *       "treatmentFunctions": [
         *         "110"
         *       ],
         *       "fundId": 1,
         *       "period": {
         *         "from": "2026-12-01",
         *         "to": "2027-03-31"
         *       },
         *       "cohortRules": {
         *         "minWeeksWaited": 18
         *       },
         *       "responseWindowDays": 14,
         *       "reminderDays": [
         *         3,
         *         10
         *       ],
         *       "maxOffers": 500,
         *       "dryRun": true
         *     }
         */
        LaunchCampaign: {
            name: string;
            regionCode: string;
            trusts?: string[];
            treatmentFunctions: string[];
            fundId: number;
            period: {
                from: string;
                to: string;
            };
            /** @default {} */
            cohortRules: {
                minWeeksWaited?: number;
                noAppointmentWithinWeeks?: number;
                minAge?: number;
                declinedWithinDays?: number;
            };
            /** @default 14 */
            responseWindowDays: number;
            reminderDays?: number[];
            maxOffers: number;
            /** @default false */
            dryRun: boolean;
        };
        CampaignDetail: {
            campaign: components["schemas"]["Campaign"];
            funnel: components["schemas"]["CampaignFunnel"];
            progress: components["schemas"]["CampaignProgress"];
            /** @description Why there is no progress, when there is none */
            progressUnavailable: string | null;
        };
        CampaignFunnel: {
            campaignId: number;
            asOf: string;
            totals: components["schemas"]["FunnelCounts"];
            byChannel: components["schemas"]["ChannelCounts"];
            started: number;
            byTrustAndSpecialty: (components["schemas"]["FunnelCounts"] & {
                trustOds: string;
                trustName: string;
                treatmentFunctionCode: string;
                treatmentFunctionName: string;
                byChannel: components["schemas"]["ChannelCounts"];
            })[];
            money: {
                committedPence: number;
                claimedPence: number;
            };
            capacity: {
                slotsInPeriod: number;
                slotsBooked: number;
            };
        };
        /** @description Over every transfer the campaign started; eligible is the dry run's figure at launch */
        FunnelCounts: {
            eligible?: number;
            screenedOut?: number;
            awaitingReview?: number;
            approved?: number;
            offered?: number;
            accepted?: number;
            declined?: number;
            lapsed?: number;
            booked?: number;
            withdrawn?: number;
            treated?: number;
            claimed?: number;
        };
        /** @description Offered, responded (accepted or declined) and accepted, by the channel the first offer went by; an offer known only from a later stage, with no message on record, is in none */
        ChannelCounts: {
            sms?: {
                offered?: number;
                responded?: number;
                accepted?: number;
            };
            email?: {
                offered?: number;
                responded?: number;
                accepted?: number;
            };
            letter?: {
                offered?: number;
                responded?: number;
                accepted?: number;
            };
        };
        /** @description The workflow's own count; null when it does not answer */
        CampaignProgress: {
            /** @enum {string} */
            phase: "running" | "paused" | "cancelled" | "completed";
            started: number;
            outstanding: number;
            accepted: number;
            declined: number;
            lapsed: number;
            notOffered: number;
            /** @description Transfers that closed without reporting (failed or terminated): counted as offers that may have gone out */
            failed: number;
            window: number;
            acceptanceRate: number;
            cohortExhausted: boolean;
            /** @description The maximum of offers is reached: offers made (accepted, declined, lapsed), transfers that may still offer and failed ones add up to it. A completed campaign with this set stopped because of its maximum */
            limitReached: boolean;
            run: number;
        } | null;
        CampaignReport: {
            campaign: components["schemas"]["Campaign"];
            funnel: components["schemas"]["CampaignFunnel"];
            equity: components["schemas"]["EquityReport"];
        };
        EquityReport: {
            campaignId: number;
            asOf: string;
            agesOn: string;
            marginPoints: number;
            minDenominator: number;
            campaign: {
                counts: components["schemas"]["FunnelCounts"];
                acceptance: {
                    numerator: number;
                    denominator: number;
                    rate: number | null;
                };
                treatment: {
                    numerator: number;
                    denominator: number;
                    rate: number | null;
                };
            };
            dimensions: {
                /** @enum {string} */
                dimension: "imdQuintile" | "ageBand" | "sex" | "ethnicity" | "channel";
                label: string;
                groups: {
                    key: string;
                    label: string;
                    counts: components["schemas"]["FunnelCounts"];
                    acceptance: {
                        numerator: number;
                        denominator: number;
                        rate: number | null;
                        judged: boolean;
                        differencePoints: number | null;
                        /** @enum {string|null} */
                        flag: "above" | "below" | null;
                    };
                    treatment: {
                        numerator: number;
                        denominator: number;
                        rate: number | null;
                        judged: boolean;
                        differencePoints: number | null;
                        /** @enum {string|null} */
                        flag: "above" | "below" | null;
                    };
                }[];
            }[];
        };
        CampaignControlResult: {
            campaign: components["schemas"]["Campaign"];
            progress: components["schemas"]["CampaignProgress"];
        };
        PrintBatchDays: {
            trustOds: string;
            days: {
                /** @example 2026-11-22 */
                day: string;
                /** @description Letters waiting to be printed */
                queued: number;
                /** @description Letters in a batch already downloaded */
                printed: number;
            }[];
        };
        ImportKind: {
            name: string;
            title: string;
            description: string;
            formats: {
                name: string;
                description: string;
            }[];
            columns: {
                name: string;
                required: boolean;
                description: string;
                example: string;
            }[];
        };
        ImportReport: {
            importRunId: number;
            kind: string;
            source: string;
            format: string;
            /** @enum {string} */
            status: "applied" | "rejected";
            rowsRead: number;
            rowsRejected: number;
            inserted: number;
            updated: number;
            unchanged: number;
            problems: {
                row: number;
                field: string;
                value: string;
                reason: string;
            }[];
            problemsTotal: number;
        };
        ShortfallReport: {
            region: string | null;
            from: string;
            to: string;
            tolerance: number;
            asOf: string;
            lines: {
                trustOds: string;
                trustName: string;
                treatmentFunctionCode: string;
                treatmentFunctionName: string;
                contracted: number;
                delivered: number;
                shortfall: number;
                shortfallPercent: number;
                missed: boolean;
            }[];
            trusts: {
                trustOds: string;
                trustName: string;
                waiting: number;
                /**
                 * @example {
                 *       "under 18 weeks": 0,
                 *       "18 to 51 weeks": 0,
                 *       "52 to 64 weeks": 0,
                 *       "65 to 77 weeks": 0,
                 *       "78 to 103 weeks": 0,
                 *       "104 weeks or more": 0
                 *     }
                 */
                weeksWaited: {
                    [key: string]: number;
                };
            }[];
        };
        Capacity: {
            /** @example 2026-11-30 */
            from: string;
            /** @example 2027-02-21 */
            to: string;
            /** @description By week, then site name, then treatment function */
            weeks: {
                /** @example NT350 */
                siteOds: string;
                siteName: string;
                providerOds: string;
                /** @example 110 */
                treatmentFunctionCode: string;
                treatmentFunctionName: string;
                /**
                 * @description ISO week
                 * @example 2026-W50
                 */
                week: string;
                /**
                 * @description its Monday
                 * @example 2026-12-07
                 */
                weekStart: string;
                slots: number;
                /** @description slots under a live booking: held, requested, accepted or completed */
                booked: number;
                free: number;
            }[];
        };
        AuditPage: {
            /** @description Newest first */
            entries: {
                id: number;
                /** @example 2026-12-06T09:15:00.123Z */
                at: string;
                /** @example staff:12 */
                actor: string;
                /** @example transfer.start */
                action: string;
                /** @example pathway:3 */
                subject: string;
                detail: {
                    [key: string]: unknown;
                };
            }[];
            /** @description Pass as cursor, with the same filters, for the next (older) page; null on the last */
            next: string | null;
        };
        Payloads: {
            payloads: components["schemas"]["Payload"][];
        };
        Payload: {
            /**
             * @example {
             *       "encoding": "YmluYXJ5L2VuY3J5cHRlZA=="
             *     }
             */
            metadata?: {
                [key: string]: string;
            } | null;
            data?: string | null;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listTransfers: {
        parameters: {
            query?: {
                state?: "opened" | "awaiting_review" | "offered" | "booking" | "awaiting_provider" | "booked" | "screened_out" | "refused" | "review_lapsed" | "no_choices" | "declined" | "lapsed" | "returned" | "withdrawn" | "treated" | "did_not_attend" | "cancelled" | "campaign_cancelled";
                trust?: string;
                /** @description the nextBefore of the previous page */
                before?: number;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of transfers; nextBefore fetches the next one */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        transfers: components["schemas"]["TransferSummary"][];
                        nextBefore: number | null;
                    };
                };
            };
            /** @description The request is invalid; the details name each field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No staff bearer token, or one that is unknown, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Your role or scope does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    startTransfer: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StartTransfer"];
            };
        };
        responses: {
            /** @description The transfer workflow has started */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TransferStarted"];
                };
            };
            /** @description The request is invalid; the details name each field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No staff bearer token, or one that is unknown, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Your role or scope does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such pathway in your scope, or no such fund */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The pathway already has an open transfer, or its patient said no lately (the cohort's rule; details name the earlier transfer) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The pathway is outside the fund's scope */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getReviewQueue: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The review queue */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        candidates: components["schemas"]["ReviewCandidate"][];
                    };
                };
            };
            /** @description No staff bearer token, or one that is unknown, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Your role or scope does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    reviewTransfer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Review"];
            };
        };
        responses: {
            /** @description Recorded; the transfer moves on */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReviewResult"];
                };
            };
            /** @description The request is invalid; the details name each field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No staff bearer token, or one that is unknown, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Your role or scope does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such transfer in your trust */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The transfer is not awaiting review */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    confirmCandidates: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BulkConfirm"];
            };
        };
        responses: {
            /** @description One result per transfer: its new state, or why it was not confirmed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: components["schemas"]["ReviewResult"][];
                    };
                };
            };
            /** @description The request is invalid; the details name each field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No staff bearer token, or one that is unknown, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Your role or scope does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getTransfer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The transfer */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Transfer"];
                };
            };
            /** @description The request is invalid; the details name each field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No staff bearer token, or one that is unknown, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Your role or scope does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such transfer in your scope */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listBookings: {
        parameters: {
            query?: {
                status?: "held" | "requested" | "accepted" | "rejected" | "released" | "cancelled" | "completed";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Bookings, soonest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        bookings: components["schemas"]["Booking"][];
                    };
                };
            };
            /** @description The request is invalid; the details name each field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No staff bearer token, or one that is unknown, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Your role or scope does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    decideBooking: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BookingDecision"];
            };
        };
        responses: {
            /** @description Recorded; the transfer moves on */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BookingChanged"];
                };
            };
            /** @description The request is invalid; the details name each field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No staff bearer token, or one that is unknown, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Only the provider of the booking may change it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such booking at your sites */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The booking is not in a state that allows this */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The change breaks a rule (a date in the future, say); the field is named */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    recordBookingOutcome: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BookingOutcome"];
            };
        };
        responses: {
            /** @description Recorded; the transfer moves on */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BookingChanged"];
                };
            };
            /** @description The request is invalid; the details name each field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No staff bearer token, or one that is unknown, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Only the provider of the booking may change it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such booking at your sites */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The booking is not in a state that allows this */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The change breaks a rule (a date in the future, say); the field is named */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listCallbacks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Whom to call */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        callbacks: components["schemas"]["Callback"][];
                    };
                };
            };
            /** @description No staff bearer token, or one that is unknown, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Your role or scope does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    markCallbackDone: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        /** @description This operation takes no fields: send no body, or {} */
        requestBody?: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is invalid; the details name each field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No staff bearer token, or one that is unknown, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Your role or scope does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such open call back in your scope */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listFunds: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Funds */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        funds: components["schemas"]["Fund"][];
                    };
                };
            };
            /** @description No staff bearer token, or one that is unknown, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Your role or scope does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createFund: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewFund"];
            };
        };
        responses: {
            /** @description Created, with its nightly claims Schedule */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Fund"];
                };
            };
            /** @description The request is invalid; the details name each field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No staff bearer token, or one that is unknown, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Your role or scope does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A fund of that name exists */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unknown trusts, treatment functions or region, or allocations that do not fit */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getFund: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The fund and its ledger */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FundLedger"];
                };
            };
            /** @description The request is invalid; the details name each field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No staff bearer token, or one that is unknown, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Your role or scope does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such fund in your scope */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listFundMovements: {
        parameters: {
            query?: {
                /** @description Rows with ids below this (the last id of the previous page) */
                before?: number;
                limit?: number;
            };
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Movements */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        movements: components["schemas"]["FundMovement"][];
                    };
                };
            };
            /** @description The request is invalid; the details name each field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No staff bearer token, or one that is unknown, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Your role or scope does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such fund in your scope */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getFundReconciliation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The reconciliation */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Reconciliation"];
                };
            };
            /** @description The request is invalid; the details name each field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No staff bearer token, or one that is unknown, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Your role or scope does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such fund in your scope */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    runFundClaims: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        /** @description This operation takes no fields: send no body, or {} */
        requestBody?: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description Started */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        scheduleId: string;
                    };
                };
            };
            /** @description The request is invalid; the details name each field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No staff bearer token, or one that is unknown, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Your role or scope does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such fund in your scope */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listClaims: {
        parameters: {
            query?: {
                fundId?: number;
                status?: "submitted" | "approved" | "rejected" | "paid";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Claims */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        claims: components["schemas"]["Claim"][];
                    };
                };
            };
            /** @description The request is invalid; the details name each field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No staff bearer token, or one that is unknown, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Your role or scope does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listClaimLines: {
        parameters: {
            query?: {
                fundId?: number;
                claimId?: number;
                /** @description held: lines that failed validation, with their reasons; month_open: valid lines of the month still open, claimed when it ends */
                status?: "held" | "month_open" | "valid" | "rejected";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Claim lines */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        lines: components["schemas"]["ClaimLine"][];
                    };
                };
            };
            /** @description The request is invalid; the details name each field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No staff bearer token, or one that is unknown, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Your role or scope does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    exportClaimsCsv: {
        parameters: {
            query?: {
                fundId?: number;
                status?: "submitted" | "approved" | "rejected" | "paid";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description CSV, one header row, amounts in pounds with two decimals */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            /** @description The request is invalid; the details name each field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No staff bearer token, or one that is unknown, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Your role or scope does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    exportClaimLinesCsv: {
        parameters: {
            query?: {
                fundId?: number;
                claimId?: number;
                /** @description held: lines that failed validation, with their reasons; month_open: valid lines of the month still open, claimed when it ends */
                status?: "held" | "month_open" | "valid" | "rejected";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description CSV, one header row, amounts in pounds with two decimals */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            /** @description The request is invalid; the details name each field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No staff bearer token, or one that is unknown, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Your role or scope does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    approveClaim: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        /** @description This operation takes no fields: send no body, or {} */
        requestBody?: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description Recorded */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Claim"];
                };
            };
            /** @description The request is invalid; the details name each field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No staff bearer token, or one that is unknown, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Your role or scope does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such claim in your scope */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The claim is not in a state that allows this */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    rejectClaim: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason: string;
                };
            };
        };
        responses: {
            /** @description Recorded */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Claim"];
                };
            };
            /** @description The request is invalid; the details name each field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No staff bearer token, or one that is unknown, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Your role or scope does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such claim in your scope */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The claim is not in a state that allows this */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    markClaimPaid: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        /** @description This operation takes no fields: send no body, or {} */
        requestBody?: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description Recorded */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Claim"];
                };
            };
            /** @description The request is invalid; the details name each field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No staff bearer token, or one that is unknown, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Your role or scope does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such claim in your scope */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The claim is not in a state that allows this */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listCampaigns: {
        parameters: {
            query?: {
                status?: "running" | "paused" | "cancelled" | "completed";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Campaigns */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        campaigns: components["schemas"]["Campaign"][];
                    };
                };
            };
            /** @description The request is invalid; the details name each field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No staff bearer token, or one that is unknown, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Your role or scope does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    launchCampaign: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes the launch safe to retry: the same key with the same body gives the campaign the first launch made (202, nothing launched again); the same key with another body is refused (422). Keys are your own: another user’s key never matches */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LaunchCampaign"];
            };
        };
        responses: {
            /** @description The dry run: eligible, screened out with reasons, offers, cost against the fund, free IS slots */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CampaignDryRun"];
                };
            };
            /** @description Launched: the campaign's workflow has started (or, retried with its Idempotency-Key, the campaign that launch made) */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Campaign"];
                };
            };
            /** @description A field or the Idempotency-Key is malformed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No staff bearer token, or one that is unknown, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not your region */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The same launch (the same body) is still running or paused: the error names that campaign (details.campaignId) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unknown trusts, treatment functions, region or fund; trusts outside the region; a fund that does not pay for them, has no money left or whose window does not hold the period; an Idempotency-Key already used for another launch (details.campaignId) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getCampaign: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The campaign */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CampaignDetail"];
                };
            };
            /** @description The request is invalid; the details name each field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No staff bearer token, or one that is unknown, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Your role or scope does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such campaign in your scope */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getCampaignReport: {
        parameters: {
            query?: {
                /** @description Flag a group whose acceptance or treatment rate differs from the campaign's by more than this many percentage points (default 10) */
                marginPoints?: number | null;
            };
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The report */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CampaignReport"];
                };
            };
            /** @description The request is invalid; the details name each field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No staff bearer token, or one that is unknown, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Your role or scope does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such campaign in your scope */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getCampaignReportCsv: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description CSV, one header row */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            /** @description The request is invalid; the details name each field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No staff bearer token, or one that is unknown, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Your role or scope does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such campaign in your scope */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getCampaignEquityCsv: {
        parameters: {
            query?: {
                /** @description Flag a group whose acceptance or treatment rate differs from the campaign's by more than this many percentage points (default 10) */
                marginPoints?: number | null;
            };
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description CSV, one header row */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            /** @description The request is invalid; the details name each field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No staff bearer token, or one that is unknown, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Your role or scope does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such campaign in your scope */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    pauseCampaign: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        /** @description This operation takes no fields: send no body, or {} */
        requestBody?: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description Done: the campaign and the workflow's progress */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CampaignControlResult"];
                };
            };
            /** @description The request is invalid; the details name each field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No staff bearer token, or one that is unknown, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Your role or scope does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such campaign in your scope */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The campaign refused: it is not in a state that allows this, or it has ended */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    resumeCampaign: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        /** @description This operation takes no fields: send no body, or {} */
        requestBody?: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description Done: the campaign and the workflow's progress */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CampaignControlResult"];
                };
            };
            /** @description The request is invalid; the details name each field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No staff bearer token, or one that is unknown, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Your role or scope does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such campaign in your scope */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The campaign refused: it is not in a state that allows this, or it has ended */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    cancelCampaign: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        /** @description This operation takes no fields: send no body, or {} */
        requestBody?: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description Done: the campaign and the workflow's progress */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CampaignControlResult"];
                };
            };
            /** @description The request is invalid; the details name each field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No staff bearer token, or one that is unknown, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Your role or scope does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such campaign in your scope */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The campaign refused: it is not in a state that allows this, or it has ended */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listPrintBatches: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                trustOds: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The batch days */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrintBatchDays"];
                };
            };
            /** @description The request is invalid; the details name each field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No staff bearer token, or one that is unknown, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Your role or scope does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such trust in your scope */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    downloadPrintBatch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                trustOds: string;
                day: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The letters, one or more pages each */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/pdf": string;
                };
            };
            /** @description The request is invalid; the details name each field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No staff bearer token, or one that is unknown, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Your role or scope does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such trust in your scope, or no letters that day */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listImportKinds: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The kinds */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        kinds: components["schemas"]["ImportKind"][];
                    };
                };
            };
            /** @description No staff bearer token, or one that is unknown, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Your role or scope does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    importFile: {
        parameters: {
            query?: {
                format?: string;
                /** @description FHIR: the trust of ServiceRequests that name none */
                trust?: string;
                /** @description the file name, for the record of the import */
                source?: string;
            };
            header?: never;
            path: {
                kind: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "text/csv": string;
                "application/fhir+json": string;
                "application/zip": string;
            };
        };
        responses: {
            /** @description Applied */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportReport"];
                };
            };
            /** @description Unknown kind or format */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No staff bearer token, or one that is unknown, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not a kind your role imports */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The file is too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rejected: nothing was changed */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportReport"];
                };
            };
        };
    };
    listShortfalls: {
        parameters: {
            query?: {
                /** @description NHS England region; a regional team sees its own */
                region?: string;
                /** @description first month (default: twelve months before to) */
                from?: string;
                /** @description last month, inclusive (default: last month) */
                to?: string;
                /** @description missed when delivered is below contracted by more than this share */
                tolerance?: number | null;
                /** @description the day waiting times are measured to (default: today) */
                asOf?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The shortfall report */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ShortfallReport"];
                };
            };
            /** @description The request is invalid; the details name each field at fault */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No staff bearer token, or one that is unknown, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Outside your region */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getCapacity: {
        parameters: {
            query?: {
                /** @description first day (default: this week's Monday) */
                from?: string;
                /** @description last day, inclusive (default: the Sunday 12 weeks on from from's week); at most 371 days after from */
                to?: string;
                /** @description only this IS site */
                site?: string;
                /** @description only this treatment function (specialty) */
                treatmentFunction?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The capacity of the period */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Capacity"];
                };
            };
            /** @description A malformed parameter, named */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No staff bearer token, or one that is unknown, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Your role or scope does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such site among yours */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The period is backwards or too long */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    searchAuditLog: {
        parameters: {
            query?: {
                /** @description who, exactly as logged: staff:12, patient:offer:3, system */
                actor?: string;
                /** @description on what, exactly as logged: transfer:5, booking:9 */
                subject?: string;
                /** @description what, exactly as logged: transfer.start, codec.decode */
                action?: string;
                /** @description first day (in England), inclusive */
                from?: string;
                /** @description last day (in England), inclusive */
                to?: string;
                /** @description the previous page's next, to read on */
                cursor?: string;
                /** @description entries a page, at most 500 */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of entries */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditPage"];
                };
            };
            /** @description A malformed parameter, named */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No staff bearer token, or one that is unknown, expired or revoked */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Your role or scope does not allow this */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The days are backwards, or the cursor is not one this search gave */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    decodePayloads: {
        parameters: {
            query?: never;
            header?: {
                /** @description The namespace the payloads were read from */
                "x-namespace"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Payloads"];
            };
        };
        responses: {
            /** @description The payloads in clear, in order */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Payloads"];
                };
            };
            /** @description Not JSON, or not Payloads as protobuf JSON; the field is named */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Only admins may read payloads */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not sent as application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A payload cannot be decrypted, or is from another namespace; the field is named */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
