/** One record of a CSV file, with the line it starts on (1-based; the header is line 1). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * Parses CSV text as RFC 4180 has it: fields separated by commas, records
 * by CRLF or LF, a field in double quotes may hold commas, line breaks and
 * doubled quotes (`""`). A leading byte-order mark is dropped; blank lines
 * are skipped. Throws on a quote left open or text after a closing quote.
 */
export function parseCsv(text: string): CsvRecord[] {
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let start = 1;
  let quoted = false;
  let afterQuote = false;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '' && !afterQuote)) records.push({ line: start, fields });
    fields = [];
    field = '';
    afterQuote = false;
  };
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (quoted) {
      if (c === '"' && input[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
        afterQuote = true;
      } else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field === '' && !afterQuote) {
      quoted = true;
    } else if (c === ',') {
      fields.push(field);
      field = '';
      afterQuote = false;
    } else if (c === '\n' || (c === '\r' && input[i + 1] === '\n')) {
      if (c === '\r') i++;
      endRecord();
      line++;
      start = line;
    } else if (afterQuote) {
      throw new Error(`line ${line}: text after a closing quote`);
    } else {
      field += c;
    }
  }
  if (quoted) throw new Error(`line ${start}: a quoted field is not closed`);
  if (field !== '' || fields.length > 0 || afterQuote) endRecord();
  return records;
}
