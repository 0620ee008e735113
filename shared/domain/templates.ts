/**
 * Starter templates: realistic output types with checklists a small team's reviewers would
 * actually use. A new workspace copies one; the team edits its types from there.
 */
import { type DetectorConfig, defaultPreChecks, type PreCheckConfig } from '../prechecks/config.ts'
import type { ChecklistItem, OutputType, RiskTier, Role } from './types.ts'

type Item = [
  id: string,
  title: string,
  question: string,
  guidance: string,
  severity?: ChecklistItem['severity'],
]

function type(
  id: string,
  name: string,
  risk: RiskTier,
  description: string,
  policy: { approvals: number; roles: Role[]; self: boolean; sla: number },
  items: Item[],
  prechecks: PreCheckConfig = checks(),
): OutputType {
  return {
    id,
    name,
    description,
    risk,
    approvalsRequired: policy.approvals,
    approverRoles: policy.roles,
    allowSelfApproval: policy.self,
    reviewSlaHours: policy.sla,
    allowedDestinations: [],
    checklist: items.map(([itemId, title, question, guidance, severity]) => ({
      id: itemId,
      title,
      question,
      guidance,
      severity: severity ?? 'send-back',
    })),
    prechecks,
  }
}

/** Pre-checks every template starts with: placeholders and AI tells, links; no auto-approval. */
const checks = defaultPreChecks

/** A text naming a price is a pricing update, wherever it appears. */
const PRICE_TO_PRICING: DetectorConfig = { kind: 'price', escalateTo: 'pricing-update' }
/** Competitor names are the team's to fill in. */
const COMPETITORS: DetectorConfig = { kind: 'competitor', competitors: [] }

const facts: Item = [
  'facts',
  'Facts checked',
  'Is every claim, number and name correct and supported by a source we trust?',
  'Good enough: each figure or claim traced to a source or to someone who knows; nothing invented by the model.',
]
const voice: Item = [
  'voice',
  'Our voice',
  'Does it sound like us rather than like a chatbot?',
  'Good enough: plain words, no filler ("delve", "in today\'s fast-paced world"), matches the style guide.',
  'warning',
]
const leftovers: Item = [
  'leftovers',
  'No AI leftovers',
  'Is it free of placeholders, "as an AI language model", invented links and unfinished sentences?',
  'Good enough: read it end to end once; every link opens and goes where it says.',
]

export const SMALL_TEAM_TYPES: OutputType[] = [
  type(
    'internal-summary',
    'Internal summary',
    'low',
    'Meeting notes, research digests and status summaries that stay inside the team.',
    { approvals: 1, roles: ['reviewer', 'approver', 'admin'], self: true, sla: 48 },
    [
      [
        'accurate',
        'Matches the source',
        'Does the summary say what the source material says?',
        'Good enough: no decision, owner or date misreported.',
      ],
      [
        'actions',
        'Actions are clear',
        'Are decisions and next steps listed with owners?',
        'Good enough: someone who missed the meeting knows what to do.',
        'warning',
      ],
    ],
    checks({ detectors: [{ kind: 'email' }, { kind: 'phone' }] }),
  ),
  type(
    'social-post',
    'Social post',
    'medium',
    'Posts for the company accounts on LinkedIn, X, Mastodon and the like.',
    { approvals: 1, roles: ['reviewer', 'approver', 'admin'], self: false, sla: 24 },
    [
      facts,
      [
        'claims',
        'No risky claims',
        'Does it avoid promises, comparisons with competitors and anything legal would flag?',
        'Good enough: nothing we could not defend in public.',
      ],
      [
        'links',
        'Links and tags work',
        'Do the links, mentions and hashtags point where they should?',
        'Good enough: each link opened once; handles spelled right.',
      ],
      voice,
    ],
    checks({
      maxChars: 3000,
      banned: ['delve', "in today's fast-paced world", 'game-changer'],
      detectors: [PRICE_TO_PRICING, { kind: 'percentage' }, COMPETITORS],
    }),
  ),
  type(
    'blog-article',
    'Blog article',
    'medium',
    'Articles for the company blog and guest posts.',
    { approvals: 1, roles: ['reviewer', 'approver', 'admin'], self: false, sla: 72 },
    [
      facts,
      [
        'sources',
        'Sources credited',
        'Are quotes, data and images credited and allowed to be used?',
        'Good enough: every borrowed item has a credit and a licence we can live with.',
      ],
      [
        'originality',
        'Original enough',
        'Does it add something of ours rather than restating the top search results?',
        'Good enough: at least one example, opinion or data point only we have.',
        'warning',
      ],
      leftovers,
      voice,
    ],
    checks({
      banned: ['delve', "in today's fast-paced world"],
      detectors: [PRICE_TO_PRICING, { kind: 'percentage' }, { kind: 'date' }, COMPETITORS],
    }),
  ),
  type(
    'customer-email',
    'Customer email',
    'high',
    'Emails to customers: announcements, replies, onboarding and renewal messages.',
    { approvals: 1, roles: ['approver', 'admin'], self: false, sla: 8 },
    [
      [
        'recipient',
        'Right people, right details',
        "Are names, account details and segment correct, with no other customer's data?",
        'Good enough: merge fields checked against two real records.',
      ],
      facts,
      [
        'commitments',
        'No new commitments',
        'Does it avoid promising features, dates, discounts or terms we have not agreed?',
        'Good enough: anything contractual has been cleared by its owner.',
      ],
      [
        'tone',
        'Tone fits',
        'Is the tone right for this customer and this moment?',
        'Good enough: you would send it under your own name.',
        'warning',
      ],
      leftovers,
    ],
    checks({
      detectors: [PRICE_TO_PRICING, { kind: 'date' }, { kind: 'email' }, { kind: 'phone' }, COMPETITORS],
    }),
  ),
  type(
    'web-copy',
    'Homepage / web copy',
    'high',
    'Copy for the homepage, landing pages and product pages.',
    { approvals: 2, roles: ['approver', 'admin'], self: false, sla: 48 },
    [
      facts,
      [
        'claims',
        'Claims we can prove',
        'Can we back every superlative, number and comparison?',
        'Good enough: a source or internal data for each claim, kept with the review.',
      ],
      [
        'legal',
        'Legal and brand',
        'Does it meet trademark, accessibility and regulatory rules for our market?',
        'Good enough: names and marks used correctly; no health, finance or privacy claims without sign-off.',
      ],
      [
        'cta',
        'Call to action works',
        'Is the next step clear and does the link or form behind it work?',
        'Good enough: clicked through on a phone and a laptop.',
      ],
      voice,
    ],
    checks({
      banned: ['delve', 'best-in-class', 'world-class'],
      detectors: [PRICE_TO_PRICING, { kind: 'percentage' }, COMPETITORS],
    }),
  ),
  type(
    'pricing-update',
    'Pricing update',
    'critical',
    'Any change to prices, plans, discounts or billing terms, wherever it is published.',
    { approvals: 2, roles: ['approver', 'admin'], self: false, sla: 24 },
    [
      [
        'numbers',
        'Numbers match the price book',
        'Does every price, currency, tax note and plan limit match the approved price book?',
        'Good enough: each number checked line by line against the source of truth.',
      ],
      [
        'effective',
        'Dates and grandfathering',
        'Are the effective date and what happens to existing customers stated correctly?',
        'Good enough: finance and support agree on both.',
      ],
      [
        'terms',
        'Terms and legal',
        'Is it consistent with the terms of service and local consumer law?',
        'Good enough: legal has seen the wording of any change to terms.',
      ],
      [
        'consistency',
        'Consistent everywhere',
        'Does it match the pricing page, checkout and sales material?',
        'Good enough: no channel shows a different price after publishing.',
      ],
      leftovers,
    ],
    checks({ detectors: [{ kind: 'price' }, { kind: 'percentage' }, { kind: 'date' }] }),
  ),
  type(
    'client-proposal',
    'Client proposal',
    'high',
    'Proposals, statements of work and quotes sent to clients.',
    { approvals: 1, roles: ['approver', 'admin'], self: false, sla: 24 },
    [
      [
        'scope',
        'Scope is deliverable',
        'Can we deliver this scope with the team and time stated?',
        'Good enough: the delivery lead agrees with scope, dates and staffing.',
      ],
      [
        'pricing',
        'Price and terms right',
        'Do fees, payment terms and assumptions match what was agreed internally?',
        'Good enough: numbers add up; discounts approved.',
      ],
      [
        'client',
        'About this client',
        "Is it specific to this client, with their name and needs right and no other client's details?",
        'Good enough: no copy-paste from another proposal left in.',
      ],
      leftovers,
    ],
    checks({ detectors: [{ kind: 'price' }, { kind: 'date' }, { kind: 'email' }, COMPETITORS] }),
  ),
]

export interface WorkspaceTemplate {
  id: string
  name: string
  description: string
  types: OutputType[]
}

export const TEMPLATES: WorkspaceTemplate[] = [
  {
    id: 'small-team',
    name: 'Small team',
    description:
      'Summaries, social posts, blog articles, customer emails, web copy, pricing updates and client proposals.',
    types: SMALL_TEAM_TYPES,
  },
  { id: 'empty', name: 'Empty', description: 'No output types yet; define your own.', types: [] },
]
