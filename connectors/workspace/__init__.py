"""The workspace: resources, variables and states kept between runs."""
