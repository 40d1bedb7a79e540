import { DAY_ORDER, type ServiceRecord } from './present.ts';

const SCHEMA_DAYS: Record<string, string> = {
  MO: 'https://schema.org/Monday',
  TU: 'https://schema.org/Tuesday',
  WE: 'https://schema.org/Wednesday',
  TH: 'https://schema.org/Thursday',
  FR: 'https://schema.org/Friday',
  SA: 'https://schema.org/Saturday',
  SU: 'https://schema.org/Sunday',
};

const hhmm = (time: string) => time.slice(0, 5);

/** A service page's schema.org description (a Service, its provider, places, hours and channels). */
export function serviceJsonLd(service: ServiceRecord, pageUrl: string, baseUrl: string): Record<string, unknown> {
  const hours = service.schedules
    .filter((schedule) => schedule.byday && schedule.opens_at && schedule.closes_at)
    .map((schedule) => ({
      '@type': 'OpeningHoursSpecification',
      dayOfWeek: schedule
        .byday!.split(',')
        .map((day) => day.trim().toUpperCase())
        .filter((day) => (DAY_ORDER as readonly string[]).includes(day))
        .map((day) => SCHEMA_DAYS[day]),
      opens: hhmm(schedule.opens_at!),
      closes: hhmm(schedule.closes_at!),
    }));
  const places = service.locations.map((location) => {
    const address = location.addresses[0];
    return {
      '@type': 'Place',
      '@id': `${baseUrl}/locations/${location.id}`,
      ...(location.name ? { name: location.name } : {}),
      ...(address
        ? {
            address: {
              '@type': 'PostalAddress',
              streetAddress: [address.address_1, address.address_2].filter(Boolean).join(', '),
              addressLocality: address.city,
              ...(address.region ? { addressRegion: address.region } : {}),
              postalCode: address.postal_code,
              addressCountry: address.country,
            },
          }
        : {}),
      ...(location.latitude !== undefined && location.longitude !== undefined
        ? { geo: { '@type': 'GeoCoordinates', latitude: location.latitude, longitude: location.longitude } }
        : {}),
    };
  });
  const phone = service.phones[0]?.number;
  const areas = service.service_areas.map((area) =>
    area.area_type === 'scotland'
      ? { '@type': 'Country', name: 'Scotland' }
      : area.area_type === 'uk'
        ? { '@type': 'Country', name: 'United Kingdom' }
        : { '@type': 'AdministrativeArea', name: area.area_name ?? area.name },
  );
  return {
    '@context': 'https://schema.org',
    '@type': 'Service',
    '@id': pageUrl,
    url: pageUrl,
    name: service.name,
    description: service.summary || service.description,
    provider: { '@type': 'Organization', '@id': `${baseUrl}/organisations/${service.organization.id}`, name: service.organization.name },
    ...(service.categories.length ? { serviceType: service.categories.map((category) => category.name) } : {}),
    ...(service.client_groups.length
      ? { audience: service.client_groups.map((group) => ({ '@type': 'Audience', audienceType: group.name })) }
      : {}),
    ...(areas.length ? { areaServed: areas } : {}),
    isAccessibleForFree: service.free_of_charge,
    ...(service.last_reviewed_at ? { dateModified: service.last_reviewed_at } : {}),
    availableChannel: {
      '@type': 'ServiceChannel',
      ...(service.url ? { serviceUrl: service.url } : {}),
      ...(phone ? { servicePhone: { '@type': 'ContactPoint', telephone: phone } } : {}),
      ...(places.length ? { serviceLocation: places } : {}),
      ...(service.languages.length
        ? { availableLanguage: service.languages.map((language) => language.name ?? language.code).filter(Boolean) }
        : {}),
    },
    ...(hours.length ? { hoursAvailable: hours } : {}),
  };
}

/** JSON for a <script type="application/ld+json"> block: "<" escaped so no text can close the element. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
