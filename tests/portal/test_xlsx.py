"""The public export's workbook writer: what core.tabular promises (text never a formula, formula-like text quoted),
read back by openpyxl."""

import io

import openpyxl

from kaifaqu.portal.xlsx import workbook


def test_text_numbers_and_formula_like_text_round_trip():
    rows = [(1, "=SUM(A1:A9)", "a <b> & \"c\"", "x\x01y", None, "+86 571"), (2, "-1", "", "第二行\n换行", 3.5, "@x")]
    sheet = openpyxl.load_workbook(io.BytesIO(workbook("清单[1]", [("序号", 6), ("甲", 10), ("乙", 10), ("丙", 10),
                                                                 ("丁", 8), ("戊", 8)], rows))).active
    assert sheet.title == "清单1" and sheet["A1"].value == "序号" and sheet["A1"].font.b
    assert sheet["A2"].value == 1 and sheet["A2"].data_type == "n" and sheet["E3"].value == 3.5
    for ref in ("B2", "F2", "B3", "F3"):
        assert sheet[ref].data_type == "s" and sheet[ref].quotePrefix, ref
    assert sheet["B2"].value == "=SUM(A1:A9)" and sheet["C2"].value == 'a <b> & "c"' and not sheet["C2"].quotePrefix
    assert sheet["D2"].value == "xy" and sheet["D3"].value == "第二行\n换行" and sheet["E2"].value is None
    assert sheet.freeze_panes == "A2" and sheet.column_dimensions["B"].width == 10
