"""Policy and benefit matching (惠民惠企政策匹配): a resident's or enterprise's situation against a catalogue of
schemes with explicit rules. It advises and explains; the office named in each scheme decides.
"""
