"""Government information disclosure (政府信息公开, 2019 regulations): requests on
application with their legal deadlines, processing fees, redaction and the annual report
(docs/disclosure.md)."""
