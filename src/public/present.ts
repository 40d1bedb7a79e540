import type { DirectoryService } from '../directory/service.ts';
import type { ResolvedPlace } from '../geography/service.ts';

// Turns directory records into the words and links a person reads on a page, in a text message or
// in a PDF. Everything here is pure, so each wording rule is tested on its own.

export type ServiceRecord = Awaited<ReturnType<DirectoryService['getService']>>;
export type LocationRecord = ServiceRecord['locations'][number];
export type ScheduleRecord = ServiceRecord['schedules'][number];
export type AddressRecord = LocationRecord['addresses'][number];

export const DAY_ORDER = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
const DAY_WORDS: Record<string, string> = {
  MO: 'Monday',
  TU: 'Tuesday',
  WE: 'Wednesday',
  TH: 'Thursday',
  FR: 'Friday',
  SA: 'Saturday',
  SU: 'Sunday',
};

export const ACCESS_ROUTE_WORDS: Record<string, string> = {
  self_referral: 'You can refer yourself',
  professional_referral: 'A professional can refer you',
  drop_in: 'You can drop in',
  phone: 'Phone to get help',
  online: 'Get help online',
};

export const DELIVERY_MODE_WORDS: Record<string, string> = {
  in_person: 'In person',
  phone: 'By phone',
  online: 'Online',
};

/** 09:30:00 → 9:30am, 16:00 → 4pm, 12:00 → midday, 00:00 → midnight (the GOV.UK style). */
export function timeInWords(time: string): string {
  const [hoursText, minutesText = '00'] = time.split(':');
  const hours = Number(hoursText);
  const minutes = Number(minutesText);
  if (!Number.isFinite(hours) || !Number.isFinite(minutes)) return time;
  if (minutes === 0 && hours === 12) return 'midday';
  if (minutes === 0 && (hours === 0 || hours === 24)) return 'midnight';
  const suffix = hours >= 12 ? 'pm' : 'am';
  const twelve = hours % 12 === 0 ? 12 : hours % 12;
  return minutes === 0 ? `${twelve}${suffix}` : `${twelve}:${String(minutes).padStart(2, '0')}${suffix}`;
}

export interface OpeningTimes {
  /** One row a day that has hours, Monday first. */
  days: Array<{ day: string; hours: string }>;
  /** Schedules that are not a weekly pattern, in their own words. */
  notes: string[];
}

/** Weekly schedules as a day-by-day list; anything else is kept as its description. */
export function openingTimes(schedules: Array<Partial<ScheduleRecord>>): OpeningTimes {
  const byDay = new Map<string, string[]>();
  const notes: string[] = [];
  for (const schedule of schedules) {
    const days = (schedule.byday ?? '')
      .split(',')
      .map((day) => day.trim().toUpperCase().replace(/^[+-]?\d+/, ''))
      .filter((day) => day in DAY_WORDS);
    const weekly = (schedule.freq ?? 'WEEKLY').toUpperCase() === 'WEEKLY' && days.length > 0;
    if (weekly) {
      const hours =
        schedule.opens_at && schedule.closes_at
          ? `${timeInWords(schedule.opens_at)} to ${timeInWords(schedule.closes_at)}`
          : schedule.opens_at
            ? `from ${timeInWords(schedule.opens_at)}`
            : 'open (times not given)';
      for (const day of days) byDay.set(day, [...(byDay.get(day) ?? []), hours]);
    }
    const words = [schedule.description, schedule.notes].filter((text): text is string => Boolean(text?.trim()));
    if (!weekly && words.length === 0 && schedule.opens_at && schedule.closes_at) {
      notes.push(`${timeInWords(schedule.opens_at)} to ${timeInWords(schedule.closes_at)}`);
    }
    notes.push(...words);
  }
  return {
    days: DAY_ORDER.filter((day) => byDay.has(day)).map((day) => ({ day: DAY_WORDS[day]!, hours: byDay.get(day)!.join(' and ') })),
    notes: [...new Set(notes)],
  };
}

/** "16 and over", "8 to 18", "up to 25"; undefined when a service takes every age. */
export function agesInWords(minimum?: number, maximum?: number): string | undefined {
  if (minimum !== undefined && maximum !== undefined) return `${minimum} to ${maximum}`;
  if (minimum !== undefined && minimum > 0) return `${minimum} and over`;
  if (maximum !== undefined) return `Up to ${maximum}`;
  return undefined;
}

const pounds = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' });

/** What it costs, as lines: "Free", "Short break contribution: £12.50". */
type CostOption = ServiceRecord['cost_options'][number];

export function costInWords(service: { free_of_charge: boolean; fees_description?: string; cost_options: Array<Partial<CostOption>> }): string[] {
  const lines: string[] = [];
  if (service.free_of_charge) lines.push('Free');
  for (const cost of service.cost_options) {
    const amount =
      cost.amount !== undefined
        ? (cost.currency ?? 'GBP') === 'GBP'
          ? pounds.format(cost.amount)
          : `${cost.amount} ${cost.currency}`
        : undefined;
    const label = cost.option ?? 'Cost';
    // Descriptions often state the amount themselves ("£4.50 for soup and a main"): say it once.
    const describesAmount = amount !== undefined && cost.amount_description?.includes(amount);
    const text = [describesAmount ? undefined : amount, cost.amount_description].filter(Boolean).join(' ');
    lines.push(text ? `${label}: ${text}` : label);
  }
  const described = service.cost_options.map((cost) => cost.amount_description).filter(Boolean);
  if (service.fees_description && !described.includes(service.fees_description)) lines.push(service.fees_description);
  if (lines.length === 0) lines.push(service.free_of_charge ? 'Free' : 'Ask the service about charges');
  return lines;
}

export function addressLines(address: Partial<AddressRecord>): string[] {
  return [address.attention, address.address_1, address.address_2, address.city, address.region, address.postal_code].filter(
    (line): line is string => Boolean(line?.trim()),
  );
}

/** A link to the place on OpenStreetMap: by its coordinates where known, else by searching the address. */
export function mapLink(location: { latitude?: number; longitude?: number; addresses: Array<Partial<AddressRecord>> }): string | undefined {
  if (location.latitude !== undefined && location.longitude !== undefined) {
    const lat = location.latitude.toFixed(5);
    const lon = location.longitude.toFixed(5);
    return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=17/${lat}/${lon}`;
  }
  const address = location.addresses[0];
  if (!address) return undefined;
  return `https://www.openstreetmap.org/search?query=${encodeURIComponent(addressLines(address).join(', '))}`;
}

/** A location's name for people: its own name, else the first line of its address. */
export function locationName(location: { name?: string; addresses: Array<Partial<AddressRecord>> }): string {
  return location.name ?? location.addresses[0]?.address_1 ?? 'Location';
}

/** A phone number as a tel: link target: digits and a leading plus only. */
export function telHref(number: string): string {
  return `tel:${number.replace(/[^\d+]/g, '')}`;
}

type ServiceArea = Omit<ServiceRecord['service_areas'][number], 'area_name'> & { area_name?: string };

/** "all of North Ayrshire", "anyone in Scotland": the areas a service covers, in words. */
export function areaInWords(area: ServiceArea): string {
  switch (area.area_type) {
    case 'scotland':
      return 'anyone in Scotland';
    case 'uk':
      return 'anyone in the UK';
    case 'council_area':
      return `all of ${area.area_name ?? area.name}`;
    case 'partnership':
      return `the whole ${area.area_name ?? area.name} area`;
    case 'health_board':
      return `the whole ${area.area_name ?? area.name} area`;
    default:
      return area.name;
  }
}

/**
 * Why an area-wide or national service appears in a search near a place that it has no address
 * near: the area that contains the place, or the nation. Undefined when the service is found because
 * it is near, or covers nothing that contains the place.
 */
export function whyListed(service: { service_areas: ServiceArea[] }, place: ResolvedPlace): string | undefined {
  const inPlace = (area: ServiceArea): boolean => {
    const name = area.area_name ?? area.name;
    switch (area.area_type) {
      case 'council_area':
        return place.councilArea?.name === name;
      case 'partnership':
        return place.partnership === name;
      case 'health_board':
        return place.healthBoard === name;
      case 'scotland':
        return place.country === 'SCT';
      case 'uk':
        return true;
      default:
        return false;
    }
  };
  const order = ['council_area', 'partnership', 'health_board', 'scotland', 'uk'];
  const area = [...service.service_areas].sort((a, b) => order.indexOf(a.area_type) - order.indexOf(b.area_type)).find(inPlace);
  if (!area) return undefined;
  if (area.area_type === 'scotland' || area.area_type === 'uk') {
    const where = area.area_type === 'scotland' ? 'Scotland' : 'the UK';
    return `You searched near ${place.label}. This service is open to anyone in ${where}, so it is listed for every place in ${where}, even where it has no address nearby.`;
  }
  const name = area.area_name ?? area.name;
  return `You searched near ${place.label}, which is in ${name}. This service covers ${areaInWords(area)}, so it is listed for every place there, even where it has no address nearby.`;
}

/** Where a service is available, in a sentence, for pages and hand-outs. */
export function coverageInWords(service: { service_areas: ServiceArea[] }): string | undefined {
  if (service.service_areas.length === 0) return undefined;
  const phrases = service.service_areas.map((area) =>
    area.area_type === 'scotland' || area.area_type === 'uk' ? `Open to ${areaInWords(area)}` : `Covers ${areaInWords(area)}`,
  );
  return [...new Set(phrases)].join('; ');
}
