import { stableUuid } from '../platform/ids.ts';
import type { AccessRoute, DeliveryMode } from '../platform/db/schema.ts';

// HSDS has no fields for how a service is reached (access routes), how it is delivered (delivery
// modes) or whether it is free, which Frontdoor keeps as columns of `service`. The ORUK feed publishes
// them the HSDS way, as attributes linking the service to terms of one more taxonomy, "Frontdoor
// access and delivery". That taxonomy lives here rather than in the database: its terms are derived
// from the columns, so they can never disagree with them. Ids are name-based and never change.

export type AccessTermMeaning =
  | { kind: 'access_route'; value: AccessRoute }
  | { kind: 'delivery_mode'; value: DeliveryMode }
  | { kind: 'any_access_route' }
  | { kind: 'any_delivery_mode' }
  | { kind: 'free_of_charge' };

export interface AccessTerm {
  id: string;
  code: string;
  name: string;
  description: string;
  parentId?: string;
  /** HSDS attribute.link_type for a service carrying this term. */
  linkType: string;
  meaning: AccessTermMeaning;
}

const NAMESPACE = 'frontdoor:openreferral';
export const ACCESS_TAXONOMY = {
  id: stableUuid(`${NAMESPACE}:taxonomy`, 'access-and-delivery'),
  name: 'Frontdoor access and delivery',
  description: 'How a person can get a service (access routes), how it is delivered, and whether it is free of charge.',
  version: '1',
} as const;

const termId = (code: string) => stableUuid(`${NAMESPACE}:term`, code);

const ACCESS_ROUTE_NAMES: Record<AccessRoute, string> = {
  self_referral: 'Self-referral',
  professional_referral: 'Referral by a professional',
  drop_in: 'Drop in',
  phone: 'Phone to arrange',
  online: 'Arrange online',
};
const DELIVERY_MODE_NAMES: Record<DeliveryMode, string> = {
  in_person: 'In person',
  phone: 'By phone',
  online: 'Online',
};

const accessRoutesParent = termId('access-routes');
const deliveryModesParent = termId('delivery-modes');

export const ACCESS_TERMS: AccessTerm[] = [
  {
    id: accessRoutesParent,
    code: 'access-routes',
    name: 'How to get the service',
    description: 'The ways a person can start using the service.',
    linkType: 'access_route',
    meaning: { kind: 'any_access_route' },
  },
  ...(Object.entries(ACCESS_ROUTE_NAMES) as Array<[AccessRoute, string]>).map(([value, name]) => ({
    id: termId(`access-route:${value}`),
    code: `access-route:${value}`,
    name,
    description: '',
    parentId: accessRoutesParent,
    linkType: 'access_route',
    meaning: { kind: 'access_route' as const, value },
  })),
  {
    id: deliveryModesParent,
    code: 'delivery-modes',
    name: 'How the service is delivered',
    description: 'Whether the service is given in person, by phone or online.',
    linkType: 'delivery_mode',
    meaning: { kind: 'any_delivery_mode' },
  },
  ...(Object.entries(DELIVERY_MODE_NAMES) as Array<[DeliveryMode, string]>).map(([value, name]) => ({
    id: termId(`delivery-mode:${value}`),
    code: `delivery-mode:${value}`,
    name,
    description: '',
    parentId: deliveryModesParent,
    linkType: 'delivery_mode',
    meaning: { kind: 'delivery_mode' as const, value },
  })),
  {
    id: termId('free-of-charge'),
    code: 'free-of-charge',
    name: 'Free of charge',
    description: 'The service costs nothing to use.',
    linkType: 'cost',
    meaning: { kind: 'free_of_charge' },
  },
];

const byId = new Map(ACCESS_TERMS.map((term) => [term.id, term]));

export function findAccessTerm(id: string): AccessTerm | undefined {
  return byId.get(id);
}

/** The leaf terms a service carries, from its columns, in a fixed order. */
export function accessTermsOf(service: { access_routes: readonly string[]; delivery_modes: readonly string[]; free_of_charge: boolean }): AccessTerm[] {
  return ACCESS_TERMS.filter((term) => {
    switch (term.meaning.kind) {
      case 'access_route':
        return service.access_routes.includes(term.meaning.value);
      case 'delivery_mode':
        return service.delivery_modes.includes(term.meaning.value);
      case 'free_of_charge':
        return service.free_of_charge;
      default:
        return false;
    }
  });
}

/** The id of the attribute linking a service to a derived term: name-based, so the same on every request. */
export function accessAttributeId(serviceId: string, term: AccessTerm): string {
  return stableUuid(`${NAMESPACE}:attribute`, `${serviceId}:${term.code}`);
}
