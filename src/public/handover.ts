import PDFDocument from 'pdfkit';
import { addressLines, costInWords, locationName, openingTimes, type ServiceRecord } from './present.ts';

// A shortlist handed on: as plain text to paste into an email or a text message, or as a PDF to
// print or attach. Both are built from the same summary of each service, so they say the same thing.

export interface HandoverItem {
  service: ServiceRecord;
  note: string;
}

export interface HandoverOptions {
  /** Absolute base for links to service pages, e.g. https://frontdoor.example.scot */
  baseUrl: string;
  /** When the shortlist was made, for the heading. */
  date: Date;
  siteName: string;
}

export interface ServiceSummary {
  name: string;
  organisation: string;
  summary: string;
  note: string;
  phone?: string;
  email?: string;
  website?: string;
  address?: string;
  hours?: string;
  cost: string;
  status?: string;
  link: string;
}

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });

export function handoverDate(date: Date): string {
  return dateFormat.format(date);
}

/** The facts a person needs to get in touch, taken from the service or else its first location. */
export function summarise(item: HandoverItem, baseUrl: string): ServiceSummary {
  const { service } = item;
  const firstLocation = service.locations.find((location) => location.addresses.length > 0) ?? service.locations[0];
  const phone = service.phones[0] ?? service.locations.flatMap((location) => location.phones)[0];
  const address = firstLocation?.addresses[0];
  const hours = openingTimes(service.schedules.length > 0 ? service.schedules : (firstLocation?.schedules ?? []));
  const hoursText = [...hours.days.map((day) => `${day.day} ${day.hours}`), ...hours.notes].join('; ');
  const website = service.url ?? service.urls[0]?.url;
  return {
    name: service.name,
    organisation: service.organization.name,
    summary: service.summary,
    note: item.note,
    ...(phone ? { phone: phone.extension ? `${phone.number} extension ${phone.extension}` : phone.number } : {}),
    ...(service.email ? { email: service.email } : {}),
    ...(website ? { website } : {}),
    ...(address
      ? { address: [firstLocation?.name && firstLocation.name !== address.address_1 ? locationName(firstLocation) : undefined, ...addressLines(address)].filter(Boolean).join(', ') }
      : {}),
    ...(hoursText ? { hours: hoursText } : {}),
    cost: costInWords(service).join('; '),
    ...(service.status !== 'active' || service.alert
      ? { status: [service.status !== 'active' ? `This service is ${service.status}.` : '', service.alert ?? ''].filter(Boolean).join(' ') }
      : {}),
    link: `${baseUrl}/services/${service.id}`,
  };
}

const CHECK_FIRST = 'Details can change: check with the service before you go.';

/**
 * The shortlist as plain text. The full version is for an email; the short one (name, phone, note
 * and link) is for a text message.
 */
export function shortlistText(items: HandoverItem[], options: HandoverOptions & { short?: boolean }): string {
  const summaries = items.map((item) => summarise(item, options.baseUrl));
  if (options.short) {
    const lines = summaries.map((summary, index) =>
      [`${index + 1}. ${summary.name}`, summary.phone ? `Tel ${summary.phone}` : undefined, summary.note || undefined, summary.link]
        .filter(Boolean)
        .join(' - '),
    );
    return `${lines.join('\n')}\n`;
  }
  const blocks = summaries.map((summary, index) =>
    [
      `${index + 1}. ${summary.name}`,
      summary.organisation,
      summary.status,
      summary.summary,
      summary.note ? `Note: ${summary.note}` : undefined,
      summary.phone ? `Phone: ${summary.phone}` : undefined,
      summary.email ? `Email: ${summary.email}` : undefined,
      summary.website ? `Website: ${summary.website}` : undefined,
      summary.address ? `Address: ${summary.address}` : undefined,
      summary.hours ? `Opening times: ${summary.hours}` : undefined,
      `Cost: ${summary.cost}`,
      `More information: ${summary.link}`,
    ]
      .filter((line): line is string => Boolean(line))
      .join('\n'),
  );
  return [
    `Services to contact, from ${options.siteName} (${handoverDate(options.date)})`,
    '',
    blocks.join('\n\n'),
    '',
    CHECK_FIRST,
    '',
  ].join('\n');
}

// PDFKit's built-in Helvetica covers Windows-1252; anything else is simplified (accents dropped)
// or replaced, rather than printed as a wrong glyph.
const WIN_ANSI_EXTRAS = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
export function pdfSafe(text: string): string {
  let result = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || char === '\n' || WIN_ANSI_EXTRAS.has(char)) {
      result += char;
      continue;
    }
    const simplified = char.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
    result += [...simplified].every((c) => c.codePointAt(0)! < 0x7f) && simplified ? simplified : char === '\t' ? ' ' : '?';
  }
  return result;
}

const TEAL = '#00625e';
const GREY = '#505a5f';

/** The shortlist as an A4 PDF, made here in the process (no browser), tagged and titled for screen readers. */
export function shortlistPdf(items: HandoverItem[], options: HandoverOptions): Promise<Buffer> {
  const title = `Services to contact, from ${options.siteName}`;
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    pdfVersion: '1.7',
    tagged: true,
    lang: 'en-GB',
    displayTitle: true,
    info: { Title: title, Author: options.siteName, Subject: 'A shortlist of services', CreationDate: options.date },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const width = doc.page.width - 112;
  const document = doc.struct('Document');
  doc.addStructure(document);
  document.add(
    doc.struct('H1', {}, () => {
      doc.font('Helvetica-Bold').fontSize(20).fillColor(TEAL).text(pdfSafe(title), { width });
    }),
  );
  document.add(
    doc.struct('P', {}, () => {
      doc.moveDown(0.3).font('Helvetica').fontSize(11).fillColor(GREY).text(`Made on ${handoverDate(options.date)}. ${CHECK_FIRST}`, { width });
    }),
  );

  items.forEach((item, index) => {
    const summary = summarise(item, options.baseUrl);
    const section = doc.struct('Sect');
    document.add(section);
    // Keep a heading with at least the first lines of its service.
    if (doc.y > doc.page.height - 200) doc.addPage();
    doc.moveDown(1);
    section.add(
      doc.struct('H2', {}, () => {
        doc.font('Helvetica-Bold').fontSize(14).fillColor('#0b0c0c').text(pdfSafe(`${index + 1}. ${summary.name}`), { width });
      }),
    );
    const paragraph = (text: string, font = 'Helvetica', colour = '#0b0c0c') =>
      section.add(
        doc.struct('P', {}, () => {
          doc.font(font).fontSize(11).fillColor(colour).text(pdfSafe(text), { width, paragraphGap: 2 });
        }),
      );
    const labelled = (label: string, value: string | undefined) => {
      if (!value) return;
      section.add(
        doc.struct('P', {}, () => {
          doc.font('Helvetica-Bold').fontSize(11).fillColor('#0b0c0c').text(`${label}: `, { width, continued: true });
          doc.font('Helvetica').text(pdfSafe(value), { paragraphGap: 2 });
        }),
      );
    };
    paragraph(summary.organisation, 'Helvetica', GREY);
    if (summary.status) paragraph(summary.status, 'Helvetica-Bold');
    paragraph(summary.summary);
    if (summary.note) labelled('Note', summary.note);
    labelled('Phone', summary.phone);
    labelled('Email', summary.email);
    labelled('Website', summary.website);
    labelled('Address', summary.address);
    labelled('Opening times', summary.hours);
    labelled('Cost', summary.cost);
    section.add(
      doc.struct('Link', {}, () => {
        doc.font('Helvetica').fontSize(10).fillColor(TEAL).text(summary.link, { width, link: summary.link, underline: true });
      }),
    );
  });
  document.end();
  doc.end();
  return finished;
}
