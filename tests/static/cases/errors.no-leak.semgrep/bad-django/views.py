from django.http import JsonResponse

def todos(request):
    return JsonResponse({'items': []})
