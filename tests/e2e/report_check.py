"""report_check.py - reads a report workbook kyso wrote, with openpyxl, and checks it
against what the test expects (tests/e2e/test_report.sh).

    /usr/bin/python3 tests/e2e/report_check.py FILE.xlsx EXPECTED.json

EXPECTED.json: {"units": {NAME: [17 numbers], ...}, "total": [17], "kinds": [[17] x 3],
"title": [texts the summary's title block shows], "names": [the signatures' names],
"roster": {NAME: UNIT, ...} (the roster sheet's rows exactly), "handovers": [SERIAL, ...],
"losses": [SERIAL, ...], "events": N (rows of the events sheet)}.

Prints one line per check, "ok - ..." or "not ok - ..." (with what was seen), and exits 1
when any failed.
"""

import json
import sys

import openpyxl

KIND_ROWS = ["Cá nhân", "Tổ chức", "Thiết bị, dịch vụ, phần mềm"]
failed = 0


def check(ok, what, seen=None):
    global failed
    if ok:
        print("ok - " + what)
    else:
        failed += 1
        print("not ok - " + what)
        if seen is not None:
            print("#   seen: %r" % (seen,))


def tables(ws):
    """The summary's tables: for each header row ("STT" in A), its rows up to the total
    row: [(label, [cells]), ...] and the total row's cells."""
    found = []
    rows = list(ws.iter_rows())
    for i, row in enumerate(rows):
        if row[0].value == "STT":
            body, total = [], None
            for r in rows[i + 1:]:
                if r[0].value == "Tổng cộng":
                    total = r
                    break
                body.append((r[1].value, r))
            found.append((body, total, i + 1))
    return found


def check_numbers(what, cells, want):
    got = [c.value for c in cells[2:19]]
    check(got == want, "%s: the 17 numbers" % what, (got, want))
    check(all(isinstance(v, int) for v in got), "%s: numbers are numbers" % what, got)


def check_totals(what, total, cached, first, last, want):
    formulas = [c.value for c in total[2:19]]
    letters = [openpyxl.utils.get_column_letter(c) for c in range(3, 20)]
    expected = ["=SUM(%s%d:%s%d)" % (l, first, l, last) for l in letters]
    check(formulas == expected, "%s: the total row holds SUM formulas" % what, formulas[:3])
    got = [c.value for c in cached[2:19]]
    check(got == want, "%s: the formulas' cached values are the totals" % what, (got, want))


def check_print(ws, frozen_below):
    ps = ws.page_setup
    check(ps.orientation == "landscape", "%s: landscape" % ws.title, ps.orientation)
    check(str(ps.paperSize) == "9", "%s: A4 (paperSize 9)" % ws.title, ps.paperSize)
    check(ws.sheet_properties.pageSetUpPr.fitToPage and ps.fitToWidth in (None, 1)
          and ps.fitToHeight == 0, "%s: fit to one page wide" % ws.title,
          (ps.fitToWidth, ps.fitToHeight))
    check(bool(ws.print_title_rows), "%s: header rows print on every page" % ws.title,
          ws.print_title_rows)
    check(ws.freeze_panes is not None and ws.freeze_panes[1:] == str(frozen_below),
          "%s: header frozen" % ws.title, ws.freeze_panes)
    check(bool(ws.auto_filter.ref), "%s: autofilter" % ws.title, ws.auto_filter.ref)


def check_dates(ws, columns):
    bad = []
    n = 0
    for row in ws.iter_rows(min_row=3):
        for col in columns:
            c = row[col - 1]
            if c.value is None:
                continue
            n += 1
            if not c.is_date or c.number_format != "dd/mm/yyyy":
                bad.append((c.coordinate, c.value, c.number_format))
    check(n > 0 and not bad, "%s: %d dates are dates shown dd/mm/yyyy" % (ws.title, n), bad[:3])


def main(path, expected_path):
    want = json.load(open(expected_path, encoding="utf-8"))
    wb = openpyxl.load_workbook(path)
    cached = openpyxl.load_workbook(path, data_only=True)
    check(wb.sheetnames[:5] == ["Tổng hợp", "Danh sách thuê bao", "Sự kiện trong kỳ",
                                "Bàn giao token", "Token bị mất"], "the sheets", wb.sheetnames)
    ws, wsc = wb["Tổng hợp"], cached["Tổng hợp"]

    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    for t in want["title"] + want["names"]:
        check(t in texts, "the summary shows %r" % t)
    check(ws["A1"].font.name == "Times New Roman" and ws["A2"].font.b,
          "Times New Roman; the agency in bold", (ws["A1"].font.name, ws["A2"].font.b))

    (units, utotal, uhead), (kinds, ktotal, khead) = tables(ws)[:2]
    check(all(c.font.b for c in ws[uhead][:19]), "the header row is bold")
    got_units = [label for label, _ in units]
    check(got_units == list(want["units"]), "the unit rows, in order", got_units)
    for label, cells in units:
        if label in want["units"]:
            check_numbers(label, cells, want["units"][label])
    check_totals("units", utotal, wsc[utotal[0].row], uhead + 1, uhead + len(units),
                 want["total"])
    check([label for label, _ in kinds] == KIND_ROWS, "the kind rows",
          [label for label, _ in kinds])
    for (label, cells), numbers in zip(kinds, want["kinds"]):
        check_numbers(label, cells, numbers)
    check_totals("kinds", ktotal, wsc[ktotal[0].row], khead + 1, khead + 3, want["total"])
    check_print(ws, uhead + 1)

    roster = wb["Danh sách thuê bao"]
    got = {r[1]: r[3] for r in roster.iter_rows(min_row=3, values_only=True)}
    check(got == want["roster"], "the roster at the end of the period", got)
    check([r[0] for r in roster.iter_rows(min_row=3, values_only=True)] ==
          list(range(1, len(got) + 1)), "the roster's STT are numbers 1..N")
    check_print(roster, 3)

    events = wb["Sự kiện trong kỳ"]
    check(events.max_row - 2 == want["events"], "the events of the period",
          events.max_row - 2)
    check_dates(events, [2])
    check_print(events, 3)

    for sheet, what, key in (("Bàn giao token", "the handovers", "handovers"),
                             ("Token bị mất", "the lost tokens", "losses")):
        ws = wb[sheet]
        got = [r[2] for r in ws.iter_rows(min_row=3, values_only=True)]
        check(got == want[key], "%s of the period" % what, got)
        if got:
            check_dates(ws, [2])
        check_print(ws, 3)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
