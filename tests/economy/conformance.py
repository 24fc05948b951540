# Fields that hold an object's id (a reference outside the caller's scope answers 400 naming it), and the
# enterprise's 统一社会信用代码: its check character (GB 32100-2015, a weighted sum mod 31) is a rule no OpenAPI
# schema can state, and a wrong one answers 400 naming the field, as the issue asks.
REFERENCE_FIELDS = {"indicator", "enterprise", "task", "uscc"}
