"""Touches to the generated OpenAPI document (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""


def allow_empty_filters(result, generator, request, public):
    """An empty filter (`?region=`) means "any", as on the site's pages, whose forms send every field: say
    so, so that clients and generated tests know an empty value is accepted."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                # Lists of values (`?stage=idea&stage=pilot`) come from checkboxes: never sent empty.
                is_list = parameter.get("schema", {}).get("type") == "array"
                if parameter["in"] == "query" and parameter["name"] != "cursor" and not is_list:
                    parameter["allowEmptyValue"] = True
    return result
