SECRET_KEY = __import__('os').environ['SECRET_KEY']
DEBUG = True
ROOT_URLCONF = 'urls'
