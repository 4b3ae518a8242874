"""«Реквизиты организации»: the form of the organization's requisites and the page around it."""
