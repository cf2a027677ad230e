def landlord(request):
    return {"landlord": getattr(request, "landlord", None)}
